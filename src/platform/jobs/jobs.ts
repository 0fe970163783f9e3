import PgBoss from 'pg-boss'
import type { Logger } from 'pino'
import type { Database } from '../db/database.js'

export interface JobDefinition<T extends object = object> {
  /** Queue name, `<module>.<verb>`, e.g. `platform.prune-outbox`. */
  name: string
  handler: (data: T) => Promise<void>
  /** Cron expression (UTC): pg-boss runs it once per period across all workers. */
  schedule?: string
  retryLimit?: number
}

export interface Jobs {
  define<T extends object>(definition: JobDefinition<T>): void
  /** `startAfter`: seconds from now (or a date) before the job may run. */
  send(
    name: string,
    data: object,
    options?: { singletonKey?: string; startAfter?: number | Date },
  ): Promise<string | null>
  /** Starts pg-boss; with `work`, also consumes queues and runs schedules (the worker role). */
  start(options: { work: boolean }): Promise<void>
  /** Stops taking jobs and waits for running ones (bounded by `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>
}

/**
 * Jobs and schedules on pg-boss, over the same database on both engines: on PGlite its SQL goes
 * through the single-connection queue like every other query.
 */
export function createJobs(database: Database, logger: Logger): Jobs {
  const definitions = new Map<string, JobDefinition>()
  const boss = new PgBoss({
    db: { executeSql: (text, values) => database.executeSql(text, values) },
    schema: 'pgboss',
  })
  boss.on('error', (err) => logger.error({ err }, 'job queue error'))
  let started = false

  return {
    define(definition) {
      if (definitions.has(definition.name)) throw new Error(`job ${definition.name} defined twice`)
      definitions.set(definition.name, definition as JobDefinition)
    },
    async send(name, data, options = {}) {
      return boss.send(name, data, options)
    },
    async start({ work }) {
      await boss.start()
      started = true
      for (const def of definitions.values()) {
        await boss.createQueue(def.name, {
          name: def.name,
          retryLimit: def.retryLimit ?? 3,
          retryBackoff: true,
        })
        if (!work) continue
        await boss.work<object>(def.name, { pollingIntervalSeconds: 2 }, async (batch) => {
          for (const job of batch) await def.handler(job.data)
        })
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
