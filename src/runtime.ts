import { readFile } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { buildHttpApp } from './app.js'
import type { Config } from './config.js'
import type { Database } from './platform/db/database.js'
import { createMigrator, isUpToDate, migrateUp } from './platform/db/migrations.js'
import { applySchemaSql } from './platform/db/schema-sql.js'
import { createUnitOfWork, type AfterCommit } from './platform/db/unit-of-work.js'
import { immediateHandlers } from './platform/events/immediate.js'
import { createInProcessBus } from './platform/events/in-process-bus.js'
import { createJetStreamBus } from './platform/events/jetstream-bus.js'
import { prunePublished } from './platform/events/outbox.js'
import { pruneProcessed } from './platform/events/processed-events.js'
import { createOutboxRelay, type OutboxRelay } from './platform/events/relay.js'
import type { EventBus } from './platform/events/types.js'
import { createJobs, type Jobs } from './platform/jobs/jobs.js'
import { createMailer } from './platform/mail/mailer.js'
import { createCacheFactory } from './platform/cache/cache.js'
import { clusterPeers, type Peers } from './platform/cluster/peers.js'
import { createRedis, pingRedis } from './platform/cache/redis.js'
import { degraded } from './platform/telemetry/degraded.js'
import { createMetrics, type Metrics } from './platform/telemetry/metrics.js'
import { readDatabaseMetrics, readOutboxMetrics } from './platform/telemetry/platform-metrics.js'
import type { ReadinessCheck } from './platform/http/health.js'
import { pruneIdempotencyKeysJob } from './platform/http/idempotency.js'
import { createRateLimitStore, type RateLimitStore } from './platform/ratelimit/store.js'
import { allMigrations, allTypeDefs, createModules, type Modules } from './composition.js'

/** Everything one process runs, wired once; the roles (`start`, `serve`, `worker`) use parts. */
export interface Runtime {
  config: Config
  logger: Logger
  database: Database
  bus: EventBus
  relay: OutboxRelay
  jobs: Jobs
  modules: Modules
  rateLimits: RateLimitStore
  /** This process's Prometheus registry and series (GET /metrics, the worker's metrics server). */
  metrics: Metrics
  /** Stops the bus and closes Redis, if any; call after the app, relay and jobs have stopped. */
  closeConnections(): Promise<void>
  buildApp(options?: { isShuttingDown?: () => boolean }): Promise<FastifyInstance>
}

/**
 * A fresh database gets the whole schema from src/schema.sql in one transaction (ADR 0013); the
 * migrator then runs what is newer, and everything on a database migrated before. A database that
 * records every migration already (a restart) skips the migrator.
 */
export async function migrateDatabase(database: Database, logger: Logger): Promise<void> {
  const schema = await readFile(new URL('./schema.sql', import.meta.url), 'utf8')
  const fromFile = await applySchemaSql(database, schema, allMigrations)
  if (fromFile.length > 0)
    logger.info({ migrations: fromFile.length }, 'schema created from schema.sql')
  if (await isUpToDate(database.db, allMigrations)) return
  const applied = await migrateUp(createMigrator(database.db, allMigrations))
  for (const step of applied) logger.info({ migration: step }, 'migration applied')
}

export interface RuntimeOptions {
  /**
   * Register the modules' event subscriptions (roles start and worker). `serve` leaves them out:
   * with JetStream a subscription is a durable consumer, and API processes do not consume.
   */
  consume?: boolean
  /** JetStream stream and subject prefix (tests use their own, so parallel files never share). */
  jetStream?: { stream: string; subjectPrefix: string }
  /** The in-process caches' clock (tests move it instead of waiting for a TTL). */
  cacheClock?: () => number
  /** The other processes of this cluster (default: node:cluster's, when this is a cluster child). */
  peers?: Peers
}

function createBus(
  config: Config,
  logger: Logger,
  database: Database,
  checks: ReadinessCheck[],
  jetStream: RuntimeOptions['jetStream'],
  peers: Peers | undefined,
) {
  if (!config.natsUrl) return createInProcessBus(logger, database.db, peers)
  const bus = createJetStreamBus({ url: config.natsUrl, db: database.db, logger, ...jetStream })
  checks.push({ name: 'nats', check: () => bus.ping() })
  return bus
}

const RELAY_WAKE = 'relay.wake'

/**
 * What a commit with events calls: the relay of this process, or in a cluster's HTTP process
 * (which runs none) the worker process's, over IPC: at most one message per turn of the event
 * loop, however many commits it saw.
 */
function relayWaker(relay: OutboxRelay, consume: boolean, peers: Peers | undefined): () => void {
  if (!peers) return () => relay.notify()
  if (consume) {
    peers.on(RELAY_WAKE, () => relay.notify())
    return () => relay.notify()
  }
  let pending = false
  return () => {
    if (pending) return
    pending = true
    setImmediate(() => {
      pending = false
      peers.broadcast(RELAY_WAKE, undefined, 'worker')
    })
  }
}

export function createRuntime(
  config: Config,
  logger: Logger,
  database: Database,
  { consume = true, jetStream, cacheClock, peers = clusterPeers() }: RuntimeOptions = {},
): Runtime {
  const readiness: ReadinessCheck[] = [{ name: 'database', check: () => database.ping() }]
  const metrics = createMetrics({
    onReadError: (gauge, err) => logger.warn({ err, gauge }, 'a metric could not be read'),
  })
  const stopDatabaseMetrics = readDatabaseMetrics(metrics, database)
  readOutboxMetrics(metrics, database.db)
  const bus = createBus(config, logger, database, readiness, jetStream, peers)
  const relay = createOutboxRelay(database.db, bus, logger)
  const wakeRelay = relayWaker(relay, consume, peers)
  // The modules' immediate handlers are known once the modules exist, below.
  let immediate: AfterCommit = () => {}
  const uow = createUnitOfWork(database.db, async (events) => {
    await immediate(events)
    wakeRelay()
  })
  const jobs = createJobs(database, logger, metrics)
  const redis = config.redisUrl ? createRedis(config.redisUrl) : undefined
  redis?.on('error', (err: Error) => degraded('redisCache', logger, 'redis connection error', err))
  const rateLimits = createRateLimitStore(config.rateLimits, redis, logger, {
    cluster: !!peers,
    onRejected: (policy) => metrics.rateLimitRejections.inc({ policy }),
  })
  if (redis) readiness.push({ name: 'redis', check: () => pingRedis(redis) })
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    dataDir: config.dataDir,
    logger: logger.child({ component: 'mail' }),
  })
  const caches = createCacheFactory({
    redis,
    peers,
    prefix: config.cachePrefix,
    onError: (err) => degraded('redisCache', logger, 'redis unreachable: caches bypassed', err),
    now: cacheClock,
    metrics,
  })
  const modules = createModules(
    { logger, database, uow, jobs, rateLimits, caches, events: bus, metrics },
    mailer,
    config,
  )
  immediate = immediateHandlers(
    database.db,
    logger,
    modules.runtimes.flatMap((r) => r.subscriptions ?? []),
  )

  for (const runtime of modules.runtimes) {
    if (consume)
      for (const s of runtime.subscriptions ?? []) bus.subscribe(s.type, s.consumer, s.handler)
    for (const job of runtime.jobs ?? []) jobs.define(job)
  }
  jobs.define({
    name: 'platform.prune-outbox',
    schedule: '17 3 * * *',
    handler: async () => {
      const pruned = await prunePublished(database.db, 7)
      const processed = await pruneProcessed(database.db, 14)
      logger.info(
        { pruned, processed },
        'pruned published outbox events and processed-event records',
      )
    },
  })
  jobs.define(pruneIdempotencyKeysJob(database.db, config.idempotencyKeyTtlHours, logger))

  return {
    config,
    logger,
    database,
    bus,
    relay,
    jobs,
    modules,
    rateLimits,
    metrics,
    async closeConnections() {
      stopDatabaseMetrics()
      await bus.stop()
      if (!redis || redis.status === 'end') return
      if (redis.status === 'wait') return redis.disconnect()
      await redis.quit().catch(() => redis.disconnect())
    },
    buildApp: (options = {}) =>
      buildHttpApp({
        config,
        logger,
        modules: modules.runtimes,
        typeDefs: allTypeDefs,
        authenticate: modules.auth.authenticate,
        readiness,
        rateLimits,
        idempotency: { db: database.db, sealingKey: config.idempotencyEncryptionKey },
        metrics,
        ...options,
      }),
  }
}
