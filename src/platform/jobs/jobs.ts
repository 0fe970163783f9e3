import PgBoss from 'pg-boss'
import type { Logger } from 'pino'
import type { Database } from '../db/database.js'
import { currentTraceparent, SpanKind, withSpan } from '../telemetry/tracing.js'
import type { Metrics } from '../telemetry/metrics.js'

export interface JobDefinition<T extends object = object> {
  /** Queue name, `<module>.<verb>`, e.g. `platform.prune-outbox`. */
  name: string
  handler: (data: T) => Promise<void>
  /** Cron expression (UTC): pg-boss runs it once per period across all workers. */
  schedule?: string
  retryLimit?: number
  /**
   * Jobs fetched per poll and run concurrently (default 1); each still fails or completes on its
   * own. A worker polls every 2 s, and at once after a full batch or a job sent by this process.
   */
  batchSize?: number
  /** An active job older than this is failed (and retried, within `retryLimit`): a dead worker's. */
  expireInSeconds?: number
}

export interface Jobs {
  define<T extends object>(definition: JobDefinition<T>): void
  /** `startAfter`: seconds from now (or a date) before the job may run. */
  send(
    name: string,
    data: object,
    options?: { singletonKey?: string; startAfter?: number | Date },
  ): Promise<string | null>
  /** The defined queues and their schedules, in definition order (the operations view). */
  definitions(): readonly Pick<JobDefinition, 'name' | 'schedule'>[]
  /** Starts pg-boss; with `work`, also consumes queues and runs schedules (the worker role). */
  start(options: { work: boolean }): Promise<void>
  /** Stops taking jobs and waits for running ones (bounded by `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>
}

/** A job sent inside a trace carries it (`traceparent` in its data); its run continues it. */
function traced(data: object): object {
  const traceparent = currentTraceparent()
  return traceparent ? { ...data, traceparent } : data
}

function runTraced(def: JobDefinition, job: { id: string; data: object }): Promise<void> {
  const { traceparent } = job.data as { traceparent?: unknown }
  return withSpan(
    `job ${def.name}`,
    {
      'messaging.system': 'pg-boss',
      'messaging.destination.name': def.name,
      'emporium.job.id': job.id,
    },
    () => def.handler(job.data),
    {
      kind: SpanKind.CONSUMER,
      ...(typeof traceparent === 'string' ? { parent: traceparent } : {}),
    },
  )
}

function errorOf(reason: unknown): object {
  return reason instanceof Error ? { message: reason.message, name: reason.name } : { reason }
}

const QUEUE_DEPTH_SQL = `select name, count(*)::int as jobs from pgboss.job
  where state in ('created', 'retry', 'active') group by name`

/** `emporium_job_queue_depth` at scrape: every defined queue, 0 when it holds nothing. */
function readQueueDepths(metrics: Metrics, database: Database, names: () => string[]): void {
  metrics.readAtScrape(metrics.jobQueueDepth, async (gauge) => {
    const { rows } = await database.executeSql(QUEUE_DEPTH_SQL)
    const depths = new Map(names().map((name) => [name, 0]))
    for (const row of rows) depths.set(String(row.name), Number(row.jobs))
    gauge.reset()
    for (const [queue, jobs] of depths) gauge.set({ queue }, jobs)
  })
}

/**
 * Jobs and schedules on pg-boss, over the same database on both engines: on PGlite its SQL goes
 * through the single-connection queue like every other query.
 */
export function createJobs(database: Database, logger: Logger, metrics?: Metrics): Jobs {
  const definitions = new Map<string, JobDefinition>()
  const boss = new PgBoss({
    db: { executeSql: (text, values) => database.executeSql(text, values) },
    schema: 'pgboss',
    // Expired jobs of a killed worker are failed (and retried) at maintenance: keep it frequent.
    maintenanceIntervalSeconds: 30,
  })
  boss.on('error', (err) => logger.error({ err }, 'job queue error'))
  let started = false
  /** This process's pg-boss worker per queue, to wake it when a job is sent. */
  const workers = new Map<string, string>()
  if (metrics) readQueueDepths(metrics, database, () => [...definitions.keys()])
  const failed = (queue: string) => metrics?.jobFailures.inc({ queue })

  return {
    define(definition) {
      if (definitions.has(definition.name)) throw new Error(`job ${definition.name} defined twice`)
      definitions.set(definition.name, definition as JobDefinition)
    },
    definitions() {
      return [...definitions.values()].map(({ name, schedule }) => ({ name, schedule }))
    },
    async send(name, data, options = {}) {
      const id = await boss.send(name, traced(data), options)
      // A job for a queue this process works on starts now, not at the worker's next poll.
      const worker = workers.get(name)
      if (worker && options.startAfter === undefined) boss.notifyWorker(worker)
      return id
    },
    async start({ work }) {
      await boss.start()
      started = true
      for (const def of definitions.values()) {
        await boss.createQueue(def.name, {
          name: def.name,
          retryLimit: def.retryLimit ?? 3,
          retryBackoff: true,
          ...(def.expireInSeconds ? { expireInSeconds: def.expireInSeconds } : {}),
        })
        if (!work) continue
        const options = { pollingIntervalSeconds: 2, batchSize: def.batchSize ?? 1 }
        const workerId = await boss.work<object>(def.name, options, async (batch) => {
          // A full batch means more may be waiting: fetch again at once instead of after a poll.
          if (batch.length === options.batchSize) boss.notifyWorker(workers.get(def.name)!)
          const results = await Promise.allSettled(batch.map((job) => runTraced(def, job)))
          for (const r of results) if (r.status === 'rejected') failed(def.name)
          if (batch.length === 1 && results[0]?.status === 'rejected') throw results[0].reason
          // In a batch, fail only the jobs that threw; pg-boss completes the others after this.
          for (const [i, r] of results.entries()) {
            if (r.status === 'rejected') await boss.fail(def.name, batch[i]!.id, errorOf(r.reason))
          }
        })
        workers.set(def.name, workerId)
        if (def.schedule) await boss.schedule(def.name, def.schedule, {}, { tz: 'UTC' })
      }
    },
    async stop(timeoutMs = 20_000) {
      if (!started) return
      started = false
      await boss.stop({ graceful: true, wait: true, close: false, timeout: timeoutMs })
    },
  }
}
