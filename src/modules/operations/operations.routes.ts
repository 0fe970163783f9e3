import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import { JobsOverviewSchema, JobsQuery } from './operations.schema.js'
import type { OperationsService } from './operations.service.js'

export function operationsRoutes(service: OperationsService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.get(
      '/v1/admin/jobs',
      {
        config: { access: { permission: 'jobs:read' } },
        schema: {
          tags: ['admin', 'operations'],
          security: [{ bearer: [] }],
          summary: 'Background jobs: queues, schedules and failed jobs',
          description:
            'Every queue with its job counts per state and, when scheduled, its cron, last and ' +
            'next run; then the failed jobs with their error, most recent first, paged.',
          querystring: JobsQuery,
          response: { 200: JobsOverviewSchema, ...problems(401, 403) },
        },
      },
      async (request) => service.jobs(request.query),
    )
  }
}
