import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import path from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface Child {
  readonly name: string
  readonly pid: number
  readonly port: number
  readonly process: ChildProcess
  readonly stdout: Readable
  readonly stderr: Readable
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>
}

export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (!address || typeof address === 'string') throw new Error('no free port')
  return address.port
}

/**
 * An entry point in its own Node process, so it never shares the bench's event loop: a
 * TypeScript file runs under tsx, a JavaScript one (scripts/start.mjs, as `npm start`) as is.
 */
function spawnTs(
  name: string,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
): Child {
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : []
  const proc = spawn(process.execPath, [...loader, entry, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const { pid, stdout, stderr } = proc
  if (pid === undefined || !stdout || !stderr) throw new Error(`${name}: could not spawn`)
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  return {
    name,
    pid,
    port,
    process: proc,
    stdout,
    stderr,
    async stop(graceMs = 30_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode
      proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}

/** Keeps the last lines of stderr so a crash at start can say why. */
function tailStderr(child: Child, keep = 20): () => string {
  const lines: string[] = []
  createInterface({ input: child.stderr }).on('line', (line) => {
    lines.push(line)
    if (lines.length > keep) lines.shift()
  })
  return () => lines.join('\n')
}

/** Resolves with the first stdout line matching and the ms since `since`; rejects on exit. */
function waitForLine(
  child: Child,
  matches: (line: string) => boolean,
  since: number,
  timeoutMs: number,
  stderr: () => string,
): Promise<{ line: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout })
    const fail = (why: string) => {
      clearTimeout(timer)
      lines.close()
      reject(new Error(`${child.name}: ${why}\n${stderr()}`))
    }
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs)
    child.process.once('exit', (code) => fail(`exited with code ${code} before it was ready`))
    lines.on('line', (line) => {
      if (!matches(line)) return
      clearTimeout(timer)
      resolve({ line, ms: performance.now() - since })
    })
  })
}

function isReadyLine(line: string): boolean {
  if (!line.startsWith('{')) return false
  try {
    const entry = JSON.parse(line) as { msg?: unknown }
    return typeof entry.msg === 'string' && entry.msg.startsWith('Emporium is ready')
  } catch {
    return false
  }
}

export interface EmporiumStart {
  child: Child
  /** Spawn to ready: the ready line at info, /readyz answering 200 at warn. */
  readyMs: number
  /** The app's own `startupMs` from its ready line (database open to listening), when logged. */
  appStartupMs?: number
}

export interface EmporiumOptions {
  dataDir: string
  databaseUrl?: string
  logLevel: 'info' | 'warn'
  timeoutMs?: number
  /** Extra environment, e.g. CATALOG_CACHE_TTL_SECONDS=0 for the uncached scenario. */
  env?: NodeJS.ProcessEnv
}

/**
 * `node scripts/start.mjs start`, as `npm start` runs it (built JavaScript). With LOG_LEVEL=info the ready line is the clock's end;
 * at warn (the load runs: no per-request log lines) the line is not printed, so /readyz is polled.
 */
export async function startEmporium(options: EmporiumOptions): Promise<EmporiumStart> {
  const port = await freePort()
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // An empty value keeps a developer's .env from pointing the embedded run at a server.
    DATABASE_URL: options.databaseUrl ?? '',
    DATABASE_REPLICA_URLS: '',
    // Both runs use the in-process cache, limits and bus: only the database engine changes.
    REDIS_URL: '',
    NATS_URL: '',
    DATA_DIR: options.dataDir,
    SEED_DEMO: 'true',
    LOG_LEVEL: options.logLevel,
    PORT: String(port),
    HOST: '127.0.0.1',
    // The limiter stays in the request path (its cost is part of the figure) with a quota that
    // 100 connections from one address cannot exhaust; the default would answer 429 within a second.
    RATE_LIMIT_DEFAULT: '999999999/60',
    RATE_LIMIT_USER: '999999999/60',
    // One process: the RSS figures sample one pid (a cluster's primary would hold none of it).
    WEB_CONCURRENCY: '1',
    ...options.env,
  }
  const since = performance.now()
  const name = `emporium (${options.databaseUrl ? 'postgres' : 'pglite'})`
  const child = spawnTs(name, 'scripts/start.mjs', ['start'], env, port)
  const stderr = tailStderr(child)
  const timeoutMs = options.timeoutMs ?? 120_000
  try {
    if (options.logLevel === 'warn') {
      const url = `http://127.0.0.1:${port}/readyz`
      return { child, readyMs: await waitForHttp(child, url, since, timeoutMs, stderr) }
    }
    const ready = await waitForLine(child, isReadyLine, since, timeoutMs, stderr)
    // Nobody reads stdout from here on; a full pipe must not block the child's writes.
    child.stdout.resume()
    const { startupMs } = JSON.parse(ready.line) as { startupMs?: unknown }
    const appStartupMs = typeof startupMs === 'number' ? startupMs : undefined
    return { child, readyMs: ready.ms, ...(appStartupMs === undefined ? {} : { appStartupMs }) }
  } catch (error) {
    await child.stop(5000)
    throw error
  }
}

async function waitForHttp(
  child: Child,
  url: string,
  since: number,
  timeoutMs: number,
  stderr: () => string,
): Promise<number> {
  child.stdout.resume()
  while (performance.now() - since < timeoutMs) {
    if (child.process.exitCode !== null) {
      throw new Error(`${child.name}: exited with code ${child.process.exitCode}\n${stderr()}`)
    }
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    )
    if (ok) return performance.now() - since
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`${child.name}: not ready after ${timeoutMs} ms\n${stderr()}`)
}

export type CeilingEnv =
  | { kind: 'static'; bodyFile: string; contentType: string }
  | { kind: 'pg'; databaseUrl: string; statementsFile: string; poolSize: number }

/** A bare Fastify server (bench/ceiling-server.ts) serving GET /v1/products. */
export async function startCeiling(ceiling: CeilingEnv): Promise<Child> {
  const port = await freePort()
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) }
  if (ceiling.kind === 'static') {
    Object.assign(env, { BODY_FILE: ceiling.bodyFile, CONTENT_TYPE: ceiling.contentType })
  } else {
    Object.assign(env, {
      DATABASE_URL: ceiling.databaseUrl,
      STATEMENTS_FILE: ceiling.statementsFile,
      POOL_SIZE: String(ceiling.poolSize),
    })
  }
  const child = spawnTs(
    `ceiling (${ceiling.kind})`,
    'bench/ceiling-server.ts',
    [ceiling.kind],
    env,
    port,
  )
  const stderr = tailStderr(child)
  try {
    await waitForLine(child, (line) => line === 'ready', performance.now(), 30_000, stderr)
    child.stdout.resume()
    return child
  } catch (error) {
    await child.stop(5000)
    throw error
  }
}
