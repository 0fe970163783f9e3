import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import type { Logger } from 'pino'
import type { Config } from './config.js'
import { databaseOptions, openDatabase } from './platform/db/database.js'
import { isAppError } from './platform/errors.js'
import { createRuntime, migrateDatabase } from './runtime.js'

/** `admin create <email> [--password-stdin]`, parsed; undefined when the arguments are not that. */
export interface AdminCommand {
  email: string
  passwordStdin: boolean
}

export function parseAdminCommand(
  action: string | undefined,
  args: readonly string[],
): AdminCommand | undefined {
  const [email, ...flags] = args
  if (action !== 'create' || !email || email.startsWith('-')) return undefined
  if (flags.some((flag) => flag !== '--password-stdin')) return undefined
  return { email, passwordStdin: flags.includes('--password-stdin') }
}

/** Everything on stdin, less one final line break (`echo secret | …` adds one). */
async function readStdin(): Promise<string> {
  let text = ''
  for await (const chunk of process.stdin) text += String(chunk)
  return text.replace(/\r?\n$/, '')
}

/** One line from the terminal without echoing it (the prompt is on stderr). */
function askHidden(question: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() })
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true })
  process.stderr.write(question)
  return new Promise<string>((resolve, reject) => {
    rl.on('SIGINT', () => {
      rl.close()
      process.stderr.write('\n')
      reject(new AdminRefused('cancelled'))
    })
    rl.question('', (answer) => {
      rl.close()
      process.stderr.write('\n')
      resolve(answer)
    })
  })
}

class AdminRefused extends Error {}

async function readPassword(command: AdminCommand): Promise<string> {
  if (command.passwordStdin) return readStdin()
  if (!process.stdin.isTTY) {
    throw new AdminRefused(
      'no terminal to ask for the password on: pipe it in with --password-stdin',
    )
  }
  const password = await askHidden('Password: ')
  if ((await askHidden('Password again: ')) !== password) {
    throw new AdminRefused('the passwords do not match')
  }
  return password
}

/**
 * Creates the admin through the auth service, which holds the rules (address, password policy,
 * an email that already has an account). A refusal is one line on stderr and exit code 1.
 */
export async function runAdminCommand(
  command: AdminCommand,
  config: Config,
  logger: Logger,
): Promise<void> {
  try {
    const password = await readPassword(command)
    // The command's own output is its result line; migrations and the like only when they fail.
    const quiet = logger.child({}, { level: 'warn' })
    const database = await openDatabase(databaseOptions(config))
    try {
      await migrateDatabase(database, quiet)
      const runtime = createRuntime(config, quiet, database, { consume: false })
      try {
        const admin = await runtime.modules.auth.service.createAdmin(command.email, password)
        console.log(`admin ${admin.email} created; sign in at POST /v1/auth/login`)
      } finally {
        await runtime.closeConnections()
      }
    } finally {
      await database.close()
    }
  } catch (error) {
    if (!(error instanceof AdminRefused) && !isAppError(error)) throw error
    console.error(`admin create refused: ${describe(error)}`)
    process.exitCode = 1
  }
}

function describe(error: Error): string {
  const fields = isAppError(error) ? (error.errors ?? []) : []
  const details = fields.map((e) => `${e.path.split('/').pop()} ${e.message}`)
  return details.length > 0 ? `${error.message} (${details.join('; ')})` : error.message
}
