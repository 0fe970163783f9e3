import type { Kysely } from 'kysely'
import type { Jobs } from '../../platform/jobs/jobs.js'
import { listFailedJobs, queueStatuses } from '../../platform/jobs/monitor.js'
import { decodeCursorOrThrow, toPage } from '../../platform/pagination.js'
import type { JobsOverviewDto, JobsQueryDto } from './operations.schema.js'

/** What runs in the background, for operators: queues, schedules and failures. */
export interface OperationsService {
  jobs(query: JobsQueryDto): Promise<JobsOverviewDto>
}

function afterCursor(cursor: string | undefined) {
  if (cursor === undefined) return undefined
  const [failedAt, id] = decodeCursorOrThrow(cursor, 2) as [string, string]
  return { failedAt, id }
}

export function createOperationsService(deps: {
  db: Kysely<unknown>
  jobs: Jobs
}): OperationsService {
  const { db, jobs } = deps
  return {
    async jobs(query) {
      const limit = query.limit ?? 20
      const after = afterCursor(query.cursor)
      const queues = await queueStatuses(db, jobs.definitions())
      const failed = await listFailedJobs(db, after, limit + 1)
      return {
        queues: queues.map((q) => ({
          name: q.name,
          counts: q.counts,
          schedule: q.schedule && {
            cron: q.schedule.cron,
            timezone: q.schedule.timezone,
            lastRunAt: q.schedule.lastRunAt?.toISOString() ?? null,
            nextRunAt: q.schedule.nextRunAt?.toISOString() ?? null,
          },
        })),
        failed: toPage(
          failed,
          limit,
          (job) => ({
            id: job.id,
            queue: job.queue,
            data: job.data,
            error: job.error,
            retryCount: job.retryCount,
            createdAt: job.createdAt.toISOString(),
            failedAt: job.failedAt.toISOString(),
          }),
          (job) => [job.cursorKey, job.id],
        ),
      }
    },
  }
}
