import cluster from 'node:cluster'
import { availableParallelism } from 'node:os'
import { ConfigError, loadConfig, loadDotEnv } from './config.js'
import { DataDirInUseError } from './platform/db/data-dir-lock.js'
import { chooseLogFormat, createLogger } from './platform/telemetry/logger.js'

const USAGE = `usage: emporium [start | serve | worker | migrate up|down|down-all|status | seed |
                 backup <file> | restore <file> [--force] |
                 admin create <email> [--password-stdin]]
  start    API and worker (default): one process on the embedded database; on PostgreSQL
           WEB_CONCURRENCY API processes and one worker process (1: all in one process)
  serve    API only (PostgreSQL), WEB_CONCURRENCY processes
  worker   jobs, schedules and the outbox relay only (PostgreSQL)
  migrate  apply (up), revert one (down) or all (down-all) migrations, or list them (status)
  seed     load the demo catalog into an empty store
  backup   write the store's data to a gzip file (a consistent snapshot, either engine)
  restore  load a backup into an empty store (--force: replace the store's data)
  admin    create an admin account (asks for the password twice, or reads it from stdin)`

const ROLES = ['start', 'serve', 'worker', 'migrate', 'seed', 'backup', 'restore', 'admin']

class UsageError extends Error {}

/**
 * Picks what this process does. The modules are imported only by the process that runs them: a
 * cluster's primary (src/cluster.ts) loads none of them and stays small.
 */
async function main(argv: string[]): Promise<void> {
  const [role = 'start', action, ...args] = argv
  if (!ROLES.includes(role)) throw new UsageError()
  loadDotEnv()
  const config = loadConfig()
  const format = chooseLogFormat({
    setting: config.logFormat,
    isTTY: process.stdout.isTTY === true,
    isProduction: config.isProduction,
  })
  // A cluster's children write to this process's stdout: they take its choice (inherited env).
  if (cluster.isPrimary) process.env.LOG_FORMAT = format
  const processes = config.webConcurrency ?? availableParallelism()
  const clustered = (role === 'start' || role === 'serve') && processes > 1
  if (cluster.isPrimary && clustered && config.databaseUrl) {
    const { supervise } = await import('./cluster.js')
    return supervise(role, processes, config, createLogger(config.logLevel, undefined, format))
  }
  const base = createLogger(config.logLevel, undefined, format)
  // The processes of a cluster write to one stdout: each line says which one wrote it.
  const logger = cluster.isWorker ? base.child({ pid: process.pid, role }) : base
  if (clustered && !config.databaseUrl && config.webConcurrency !== undefined) {
    logger.warn(
      { webConcurrency: config.webConcurrency },
      'WEB_CONCURRENCY has no effect on the embedded database: one process holds its only connection (set DATABASE_URL for several)',
    )
  }
  const { runRole, UsageError: UnknownAction } = await import('./roles.js')
  await runRole(role, action, config, logger, args).catch((error: unknown) => {
    throw error instanceof UnknownAction ? new UsageError() : error
  })
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) console.error(USAGE)
  else if (
    error instanceof ConfigError ||
    error instanceof DataDirInUseError ||
    (error instanceof Error && error.name === 'BackupError')
  ) {
    console.error(error.message)
  } else console.error('emporium failed to start:', error instanceof Error ? error.message : error)
  process.exit(error instanceof UsageError ? 2 : 1)
})
