import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import { AuditPage, AuditQuery } from './audit.schema.js'
import type { AuditService } from './audit.service.js'

export function auditRoutes(service: AuditService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.get(
      '/v1/admin/audit-log',
      {
        config: { access: { permission: 'audit:read' } },
        schema: {
          tags: ['admin', 'audit'],
          summary: 'Security events, newest first',
          description:
            'Filters: `actor` (actor id), `action`, `from` (inclusive) and `to` (exclusive).',
          security: [{ bearer: [] }],
          querystring: AuditQuery,
          response: { 200: AuditPage, ...problems(401, 403) },
        },
      },
      async (request) => service.list(request.query),
    )
  }
}
