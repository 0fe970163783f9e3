import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors.js'
import { scrapeAuthorized, type Metrics } from './metrics.js'
import { DETAIL, REALM } from './metrics-server.js'

/**
 * `GET /metrics` on the API: the Prometheus exposition of this process, hidden from OpenAPI.
 * With `token` (METRICS_TOKEN) it asks for that bearer, which is then not a user's credential.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: Metrics,
  token: string | undefined,
): void {
  app.get(
    '/metrics',
    { schema: { hide: true }, config: { access: 'public', ownCredential: true } },
    async (request, reply) => {
      if (!scrapeAuthorized(request.headers.authorization, token)) {
        reply.header('www-authenticate', REALM)
        throw new AppError({
          kind: 'unauthenticated',
          code: 'unauthenticated',
          title: 'Unauthenticated',
          detail: DETAIL,
        })
      }
      const { contentType, body } = await metrics.scrape()
      return reply.type(contentType).send(body)
    },
  )
}
