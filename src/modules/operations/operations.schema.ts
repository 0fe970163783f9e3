import { Type, type Static } from '@sinclair/typebox'
import { PageInfoSchema, PageQuery } from '../../platform/http/schemas.js'

const Timestamp = Type.String({ format: 'date-time' })

export const QueueSchema = Type.Object(
  {
    name: Type.String({ description: '`<module>.<verb>`, e.g. `inventory.release-expired`' }),
    schedule: Type.Union([
      Type.Object(
        {
          cron: Type.String(),
          timezone: Type.String(),
          lastRunAt: Type.Union([Timestamp, Type.Null()]),
          nextRunAt: Type.Union([Timestamp, Type.Null()]),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    counts: Type.Object(
      {
        created: Type.Integer(),
        retry: Type.Integer(),
        active: Type.Integer(),
        completed: Type.Integer(),
        cancelled: Type.Integer(),
        failed: Type.Integer(),
      },
      { additionalProperties: false, description: 'Jobs per state, live and archived' },
    ),
  },
  { additionalProperties: false },
)

export const FailedJobSchema = Type.Object(
  {
    id: Type.String(),
    queue: Type.String(),
    data: Type.Unknown(),
    error: Type.Union([Type.String(), Type.Null()]),
    retryCount: Type.Integer(),
    createdAt: Timestamp,
    failedAt: Timestamp,
  },
  { additionalProperties: false },
)

export const JobsOverviewSchema = Type.Object(
  {
    queues: Type.Array(QueueSchema),
    failed: Type.Object(
      { data: Type.Array(FailedJobSchema), page: PageInfoSchema },
      { description: 'Failed jobs, most recent first; `limit` and `cursor` page this list' },
    ),
  },
  { additionalProperties: false },
)
export type JobsOverviewDto = Static<typeof JobsOverviewSchema>

export const JobsQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type JobsQueryDto = Static<typeof JobsQuery>
