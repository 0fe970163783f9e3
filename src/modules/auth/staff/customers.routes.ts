import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { problems } from '../../../platform/http/schemas.js'
import type { RoutePlugin } from '../../../platform/module.js'
import type { CustomerDirectory } from './customers.directory.js'
import { CustomerListQuery, CustomerPage } from './customers.schema.js'

/** The customer list for staff: accounts with the customer role, newest first. */
export function customerRoutes(directory: CustomerDirectory): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.get(
      '/v1/admin/customers',
      {
        config: { access: { permission: 'customers:read' } },
        schema: {
          tags: ['admin', 'auth'],
          summary: 'Customer accounts, newest first; q matches part of the email or name',
          security: [{ bearer: [] }],
          querystring: CustomerListQuery,
          response: { 200: CustomerPage, ...problems(401, 403) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store')
        return directory.list(request.query)
      },
    )
  }
}
