import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import { scrapeAuthorized } from './metrics.js'

/*
 * Loaded by a cluster's primary too (src/cluster.ts), which loads none of the modules: this file
 * needs only node:http and prom-client (through ./metrics.js), nothing of the API.
 */

export const REALM = 'Bearer realm="metrics"'
export const DETAIL = 'The metrics need "Authorization: Bearer <METRICS_TOKEN>".'

/** What the server exposes: a runtime's `Metrics`, or the primary's aggregate of its children. */
export interface Scrapeable {
  scrape(): Promise<{ contentType: string; body: string }>
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
  // The type is src/platform/http/problems.ts's problemType(code), spelled out to stay small.
  const type = `urn:emporium:problem:${code}`
  const body = { type, title, status, code, ...(detail ? { detail } : {}) }
  send(res, status, 'application/problem+json', JSON.stringify(body))
}

/**
 * A small HTTP server for a process without the API on METRICS_PORT: the standalone `worker`
 * role, and a cluster's primary (its children's aggregate). `GET /metrics`, same token rule as
 * the API's, and `GET /livez`. Anything else is a 404 problem; a failed scrape a 500 problem.
 */
export async function startMetricsServer(options: {
  metrics: Scrapeable
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
