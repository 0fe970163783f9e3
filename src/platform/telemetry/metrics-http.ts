import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { AppError } from '../errors.js'
import { problemType } from '../http/problems.js'
import { scrapeAuthorized, type Metrics } from './metrics.js'

const REALM = 'Bearer realm="metrics"'
const DETAIL = 'The metrics need "Authorization: Bearer <METRICS_TOKEN>".'

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

export interface MetricsServer {
  /** The port it listens on (the one given, or the system's pick for 0). */
  readonly port: number
  close(): Promise<void>
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
  res.end(body)
}

function problem(res: ServerResponse, status: number, code: string, title: string, detail = '') {
  const body = { type: problemType(code), title, status, code, ...(detail ? { detail } : {}) }
  send(res, status, 'application/problem+json', JSON.stringify(body))
}

/**
 * The worker role's small HTTP server (it has no API): `GET /metrics`, same token rule as the
 * API's, and `GET /livez`. Anything else is a 404 problem.
 */
export async function startMetricsServer(options: {
  metrics: Metrics
  port: number
  host: string
  token: string | undefined
  logger: Pick<Logger, 'error'>
}): Promise<MetricsServer> {
  const { metrics, token, logger } = options
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return problem(res, 405, 'method_not_allowed', 'Method not allowed')
    }
    if (path === '/livez') return send(res, 200, 'application/json', '{"status":"ok"}')
    if (path !== '/metrics') return problem(res, 404, 'not_found', 'Not found')
    if (!scrapeAuthorized(req.headers.authorization, token)) {
      res.setHeader('www-authenticate', REALM)
      return problem(res, 401, 'unauthenticated', 'Unauthenticated', DETAIL)
    }
    metrics.scrape().then(
      ({ contentType, body }) => send(res, 200, contentType, body),
      (err: unknown) => {
        logger.error({ err }, 'metrics scrape failed')
        problem(res, 500, 'internal_error', 'Internal server error')
      },
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      }),
  }
}
