import cronParser from 'cron-parser'
import { sql, type Kysely } from 'kysely'
import type { JobDefinition } from './jobs.js'

/** pg-boss job states, as counted per queue. */
export const JOB_STATES = [
  'created',
  'retry',
  'active',
  'completed',
  'cancelled',
  'failed',
] as const
export type JobState = (typeof JOB_STATES)[number]

export interface QueueStatus {
  name: string
  schedule: {
    cron: string
    timezone: string
    lastRunAt: Date | null
    nextRunAt: Date | null
  } | null
  /** Jobs per state, live and archived (pg-boss archives finished jobs after 12 h). */
  counts: Record<JobState, number>
}

export interface FailedJob {
  id: string
  queue: string
  data: unknown
  error: string | null
  retryCount: number
  createdAt: Date
  failedAt: Date
  /** `failedAt` at full (microsecond) precision, for the page cursor. */
  cursorKey: string
}

/** Both tables of jobs: the live one and pg-boss's archive of finished jobs. */
const allJobs = sql`(select id, name, data, state::text as state, retry_count, created_on,
    completed_on, output from pgboss.job
  union all
  select id, name, data, state::text, retry_count, created_on, completed_on, output
  from pgboss.archive)`

function nextRun(cron: string, timezone: string): Date | null {
  try {
    return cronParser
      .parseExpression(cron, { tz: timezone, currentDate: new Date() })
      .next()
      .toDate()
  } catch {
    return null
  }
}

/**
 * The defined queues with their job counts and, for scheduled ones, the cron registered in
 * pg-boss, when it last fired (its newest job) and when it fires next.
 */
export async function queueStatuses(
  db: Kysely<unknown>,
  definitions: readonly Pick<JobDefinition, 'name' | 'schedule'>[],
): Promise<QueueStatus[]> {
  const names = definitions.map((d) => d.name)
  if (names.length === 0) return []
  const counts = await sql<{ name: string; state: string; n: number; last: Date | null }>`
    select name, state, count(*)::int as n, max(created_on) as last from ${allJobs} j
    where name in (${sql.join(names)}) group by name, state`.execute(db)
  const schedules = await sql<{ name: string; cron: string; timezone: string | null }>`
    select name, cron, timezone from pgboss.schedule where name in (${sql.join(names)})`.execute(db)
  return definitions.map(({ name }) => {
    const rows = counts.rows.filter((r) => r.name === name)
    const tally = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>
    for (const row of rows) if (row.state in tally) tally[row.state as JobState] = row.n
    const registered = schedules.rows.find((s) => s.name === name)
    const last = rows.reduce<Date | null>(
      (max, r) => (r.last && (!max || r.last > max) ? r.last : max),
      null,
    )
    const timezone = registered?.timezone ?? 'UTC'
    return {
      name,
      counts: tally,
      schedule: registered
        ? {
            cron: registered.cron,
            timezone,
            lastRunAt: last,
            nextRunAt: nextRun(registered.cron, timezone),
          }
        : null,
    }
  })
}

/** Failed jobs, most recent failure first; `after` is the (failedAt, id) of the previous page's last. */
export async function listFailedJobs(
  db: Kysely<unknown>,
  after: { failedAt: string; id: string } | undefined,
  limit: number,
): Promise<FailedJob[]> {
  const { rows } = await sql<{
    id: string
    name: string
    data: unknown
    output: unknown
    retry_count: number
    created_on: Date
    completed_on: Date | null
    failed_key: string
  }>`
    select id::text as id, name, data, output, retry_count, created_on, completed_on,
      coalesce(completed_on, created_on)::text as failed_key
    from ${allJobs} j
    where state = 'failed'
      ${after ? sql`and (coalesce(completed_on, created_on), id::text) < (${after.failedAt}::timestamptz, ${after.id})` : sql``}
    order by coalesce(completed_on, created_on) desc, id::text desc limit ${limit}`.execute(db)
  return rows.map((r) => ({
    id: r.id,
    queue: r.name,
    data: r.data,
    error: errorMessage(r.output),
    retryCount: r.retry_count,
    createdAt: r.created_on,
    failedAt: r.completed_on ?? r.created_on,
    cursorKey: r.failed_key,
  }))
}

/** pg-boss stores a thrown error as its serialized object; the message is what an operator needs. */
function errorMessage(output: unknown): string | null {
  if (output === null || output === undefined) return null
  if (typeof output === 'object' && 'message' in output) return String(output.message)
  return JSON.stringify(output).slice(0, 1000)
}
