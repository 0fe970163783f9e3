import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

const VALID = /^[A-Za-z0-9._:-]{1,128}$/

/** Echoes a well-formed incoming X-Request-Id; otherwise makes one. */
export function requestIdFrom(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id']
  return typeof incoming === 'string' && VALID.test(incoming) ? incoming : randomUUID()
}

/** The trace id of a W3C `traceparent` header, when it is well formed. */
export function traceIdFrom(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined
  const match = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(header.trim())
  return match && match[1] !== '0'.repeat(32) ? match[1] : undefined
}
