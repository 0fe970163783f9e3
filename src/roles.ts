import cluster from 'node:cluster'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { parseAdminCommand, runAdminCommand } from './admin.js'
import { ConfigError, type Config } from './config.js'
import { databaseOptions, openDatabase, type Database } from './platform/db/database.js'
import {
  createMigrator,
  migrateDown,
  migrateUp,
  migrationStatus,
} from './platform/db/migrations.js'
import { sendStatus } from './platform/cluster/status.js'
import { backup } from './platform/db/backup.js'
import { restore } from './platform/db/restore.js'
import { startTracing, stopTracing } from './platform/telemetry/tracing.js'
import { startMetricsServer, type MetricsServer } from './platform/telemetry/metrics-server.js'
import { shareMetricsWithPrimary } from './platform/telemetry/cluster-metrics.js'
import { allMigrations } from './composition.js'
import { createRuntime, migrateDatabase, type Runtime } from './runtime.js'

async function prepare(runtime: Runtime): Promise<void> {
  const { config, modules, logger } = runtime
  if (config.adminEmail && config.adminPassword) {
    const created = await modules.auth.service.ensureAdmin(config.adminEmail, config.adminPassword)
    if (created) logger.info({ email: config.adminEmail }, 'admin account created')
  }
  if (config.seedDemo) {
    const seeded = await modules.catalog.service.seedDemoIfEmpty()
    if (seeded > 0) logger.info({ products: seeded }, 'demo catalog loaded')
  }
}

/** Stops the role on SIGTERM/SIGINT: requests drain, then jobs and connections close. */
function onSignals(
  runtime: Runtime,
  app: FastifyInstance | undefined,
  setShuttingDown: () => boolean,
  metricsServer: MetricsServer | undefined,
): void {
  const { config, logger, database } = runtime
  const stop = async (signal: string) => {
    if (setShuttingDown()) return
    logger.info({ signal }, 'shutting down: draining requests and jobs')
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 25 s; exiting')
      process.exit(1)
    }, 25_000).unref()
    // /readyz already answers 503: give load balancers and requests already on the wire a moment
    // before Fastify closes idle connections (a request not yet parsed looks idle).
    await new Promise((resolve) => setTimeout(resolve, config.shutdownGraceMs))
    await app?.close()
    await runtime.relay.stop()
    await runtime.jobs.stop()
    await metricsServer?.close()
    await runtime.closeConnections()
    await database.close()
    await stopTracing()
    clearTimeout(force)
    logger.info('stopped')
    process.exit(0)
  }
  process.once('SIGTERM', (s) => void stop(s))
  process.once('SIGINT', (s) => void stop(s))
}

/**
 * Without an admin nobody can sign in to run the store: say how to make one, once per start (in
 * a cluster, the first child: the worker process of `start`, the first API process of `serve`).
 */
async function adminHint(runtime: Runtime, role: string): Promise<void> {
  const first = cluster.isWorker ? cluster.worker?.id === 1 : role === 'start' || role === 'serve'
  if (!first || runtime.config.adminEmail) return
  if (await runtime.modules.auth.service.hasAdmin()) return
  runtime.logger.warn(
    'no admin account yet: create one with `npm run admin -- create you@example.com`',
  )
}

function logReady(runtime: Runtime, started: number, serving: boolean): void {
  const { config, logger, database } = runtime
  const startupMs = Date.now() - started
  // In a cluster the primary says "Emporium is ready" once every process is.
  if (cluster.isWorker) logger.info({ startupMs }, serving ? 'API process ready' : 'worker ready')
  else if (serving) {
    const base = config.publicUrl
    logger.info(
      { startupMs, engine: database.engine },
      `Emporium is ready: API ${base}/v1/products · dashboard ${base}/admin · docs ${base}/docs · OpenAPI ${base}/openapi.json · GraphQL ${base}/graphql · MCP ${base}/mcp`,
    )
  } else logger.info({ startupMs }, 'Emporium worker is running')
  sendStatus('ready')
}

async function run(
  role: string,
  config: Config,
  logger: Logger,
  database: Database,
): Promise<void> {
  if (database.engine === 'pglite' && (role === 'serve' || role === 'worker')) {
    throw new ConfigError(
      'DATABASE_URL',
      `is needed for the "${role}" role: the embedded database lives in one process, use "start"`,
    )
  }
  const started = Date.now()
  await migrateDatabase(database, logger)
  sendStatus('migrated')
  const runtime = createRuntime(config, logger, database, { consume: role !== 'serve' })
  // In a cluster the primary serves its children's aggregate on METRICS_PORT.
  shareMetricsWithPrimary(runtime.metrics.registry)
  // Loads the token signing keys now (creating the first, sealing clear ones when
  // SIGNING_KEY_ENCRYPTION_KEY is set): a stored key that does not open stops the start.
  await runtime.modules.auth.service.publicKeys()
  if (config.trustProxy === true && !cluster.isWorker) {
    logger.warn('TRUST_PROXY=true: any client can set its own address through X-Forwarded-For')
  }
  let shuttingDown = false
  const app =
    role === 'worker' ? undefined : await runtime.buildApp({ isShuttingDown: () => shuttingDown })

  if (role !== 'serve') await prepare(runtime)
  await adminHint(runtime, role)
  await runtime.jobs.start({ work: role !== 'serve' })
  if (role !== 'serve') {
    // Consumers first: on JetStream they are created at their start and see what comes after.
    await runtime.bus.start()
    runtime.relay.start()
  }
  // A cluster's HTTP processes share the primary's listening socket (node:cluster).
  await app?.listen({ port: config.port, host: config.host })
  // The worker has no API: its metrics and liveness get a small server of their own (a cluster's
  // worker process does not: its primary holds METRICS_PORT).
  const metricsServer =
    role === 'worker' && !cluster.isWorker && config.metricsPort > 0
      ? await startMetricsServer({
          metrics: runtime.metrics,
          port: config.metricsPort,
          host: config.host,
          token: config.metricsToken,
          logger,
        })
      : undefined
  logReady(runtime, started, app !== undefined)
  onSignals(
    runtime,
    app,
    () => {
      const was = shuttingDown
      shuttingDown = true
      return was
    },
    metricsServer,
  )
}

async function migrate(action: string | undefined, database: Database): Promise<void> {
  const migrator = createMigrator(database.db, allMigrations)
  if (action === 'up') for (const step of await migrateUp(migrator)) console.log(step)
  else if (action === 'down') for (const step of await migrateDown(migrator)) console.log(step)
  else if (action === 'down-all')
    for (const step of await migrateDown(migrator, true)) console.log(step)
  else if (action === 'status') {
    for (const m of await migrationStatus(migrator)) {
      console.log(
        `${m.executedAt ? m.executedAt.toISOString() : 'pending                 '}  ${m.name}`,
      )
    }
  } else throw new UsageError()
}

/** Rows per table, the tables that hold any. */
function printCounts(counts: Record<string, number>): void {
  for (const [table, rows] of Object.entries(counts)) if (rows > 0) console.log(`${rows}\t${table}`)
}

/** `backup <file>` and `restore <file> [--force]` (docs/operations.md#backups). */
async function backupOrRestore(
  role: string,
  file: string | undefined,
  flags: readonly string[],
  database: Database,
): Promise<void> {
  const force = flags.includes('--force')
  if (!file || flags.some((f) => f !== '--force') || (role === 'backup' && force))
    throw new UsageError()
  if (role === 'backup') {
    const done = await backup(database, file)
    printCounts(done.counts)
    console.log(`backed up ${done.rows} rows of ${done.tables} tables to ${file}`)
    return
  }
  const done = await restore(database, file, { migrations: allMigrations, force })
  for (const step of done.migrated) console.log(step)
  printCounts(done.counts)
  console.log(`restored ${done.rows} rows into ${done.tables} tables from ${file}`)
}

/** A role or migrate action that does not exist: main prints the usage. */
export class UsageError extends Error {}

/** Runs one role in this process (a cluster child runs `serve` or `worker` this way). */
export async function runRole(
  role: string,
  action: string | undefined,
  config: Config,
  logger: Logger,
  args: readonly string[] = [],
): Promise<void> {
  if (role === 'admin') {
    const command = parseAdminCommand(action, args)
    if (!command) throw new UsageError()
    return runAdminCommand(command, config, logger)
  }
  // Before the database and the app: both are built traced when OTEL_* asks for it.
  if (await startTracing(process.env, logger)) logger.info('tracing: spans exported over OTLP/HTTP')
  const options = databaseOptions(config)
  const database = await openDatabase(
    options.engine === 'postgres' ? { ...options, logger } : options,
  )
  try {
    if (role === 'migrate') {
      return await migrate(action, database).finally(() => database.close().then(stopTracing))
    }
    if (role === 'backup' || role === 'restore') {
      return await backupOrRestore(role, action, args, database).finally(() =>
        database.close().then(stopTracing),
      )
    }
    if (role === 'seed') {
      await migrateDatabase(database, logger)
      const runtime = createRuntime(config, logger, database, { consume: false })
      const seeded = await runtime.modules.catalog.service.seedDemoIfEmpty()
      await runtime.closeConnections()
      console.log(
        seeded > 0 ? `loaded ${seeded} demo products` : 'the store is not empty; nothing loaded',
      )
      await database.close()
      return await stopTracing()
    }
    await run(role, config, logger, database)
  } catch (error) {
    await database.close().catch(() => undefined)
    await stopTracing()
    throw error
  }
}
