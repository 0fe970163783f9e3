import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import type { Metrics } from './metrics.js'

/**
 * `emporium_db_query_duration_seconds` from every query through Kysely, and the pool gauges at
 * scrape. Returns the function that stops listening (the database may outlive the runtime).
 */
export function readDatabaseMetrics(metrics: Metrics, database: Database): () => void {
  const duration = metrics.dbQueryDuration.labels({ engine: database.engine })
  metrics.readAtScrape(metrics.dbPoolConnections, (gauge) => {
    const { total, idle, waiting } = database.poolStats()
    gauge.set({ state: 'total' }, total)
    gauge.set({ state: 'idle' }, idle)
    gauge.set({ state: 'waiting' }, waiting)
  })
  return database.onQuery((ms) => duration.observe(ms / 1000))
}

/**
 * The outbox gauges at scrape: unpublished rows and the age of the oldest, both from the partial
 * index on unpublished rows (`outbox_pending_idx`). prom-client collects every series of a scrape
 * at once, so the two gauges share one query while it runs.
 */
export function readOutboxMetrics(metrics: Metrics, db: Kysely<unknown>): void {
  let reading: Promise<{ pending: number; lag: number }> | undefined
  const read = () =>
    (reading ??= sql<{ pending: number; lag: number | null }>`
      select count(*)::int as pending,
        extract(epoch from now() - (select occurred_at from platform.outbox
          where published_at is null order by position limit 1))::float8 as lag
      from platform.outbox where published_at is null`
      .execute(db)
      .then(({ rows }) => ({
        pending: Number(rows[0]?.pending ?? 0),
        lag: Math.max(0, Number(rows[0]?.lag ?? 0)),
      }))
      .finally(() => (reading = undefined)))
  metrics.readAtScrape(metrics.outboxPending, async (gauge) => gauge.set((await read()).pending))
  metrics.readAtScrape(metrics.outboxLagSeconds, async (gauge) => gauge.set((await read()).lag))
}
