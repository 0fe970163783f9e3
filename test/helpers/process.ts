import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { childEnv, eventually } from '../platform/support.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

export type Role = 'start' | 'serve' | 'worker'

/** The log line each role writes once it serves (start, serve) or consumes (worker). */
const READY: Record<Role, RegExp> = {
  start: /^Emporium is ready/,
  serve: /^Emporium is ready/,
  worker: /^Emporium worker is running/,
}

export interface RoleProcess {
  child: ChildProcess
  /** Its log lines so far, parsed; a line that is not JSON is kept as `{ msg: line }`. */
  lines: Record<string, unknown>[]
  /** Whether a log line's message matches. */
  logged(pattern: RegExp): boolean
  stderr(): string
  /** Settles when the process exits, with its code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function parse(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>
  } catch {
    return { msg: line }
  }
}

/**
 * An `emporium <role>` child process with `env` on top of the test's own (see `childEnv`);
 * resolves once the role logs that it is ready, and fails early with its stderr if it exits.
 */
export async function spawnRole(
  role: Role,
  env: Record<string, string>,
  { timeoutMs = 90_000, compiled = false } = {},
): Promise<RoleProcess> {
  // `compiled`: the way `npm start` runs it (scripts/start.mjs: built JavaScript, no tsx).
  const entry = compiled ? ['scripts/start.mjs'] : ['--import', 'tsx', 'src/main.ts']
  const child = spawn(process.execPath, [...entry, role], {
    cwd: root,
    env: childEnv({ SEED_DEMO: 'false', LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: Record<string, unknown>[] = []
  let stderr = ''
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.trim()) lines.push(parse(line))
  })
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  const logged = (pattern: RegExp) => lines.some((l) => pattern.test(String(l.msg)))
  try {
    await eventually(
      () => {
        if (child.exitCode !== null) throw new Error(`${role} exited early: ${stderr}`)
        return logged(READY[role])
      },
      { timeoutMs, intervalMs: 100, what: `${role} to be ready` },
    )
  } catch (error) {
    if (child.exitCode === null) child.kill('SIGKILL')
    throw error
  }
  return { child, lines, logged, stderr: () => stderr, exited }
}

/** What a command run to its end printed, and its exit code. */
export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs `emporium <args>` with `env` to its end, with `stdin` piped in (or stdin closed, not a
 * terminal). `compiled` runs it the way the npm scripts do: scripts/start.mjs, built JavaScript.
 */
export async function runToEnd(
  args: string[],
  env: Record<string, string>,
  { stdin, compiled = false }: { stdin?: string; compiled?: boolean } = {},
): Promise<Run> {
  const entry = compiled ? ['scripts/start.mjs'] : ['--import', 'tsx', 'src/main.ts']
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: root,
    env: childEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdin.end(stdin ?? '')
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, stdout, stderr }
}

/**
 * Runs `emporium start` with `env` to its end, for a start that must be refused: its exit code
 * and the non-empty lines of stdout and stderr.
 */
export async function refusedStart(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderrLines: string[] }> {
  const { code, stdout, stderr } = await runToEnd(['start'], env)
  return { code, stdout, stderrLines: stderr.split('\n').filter((line) => line !== '') }
}
