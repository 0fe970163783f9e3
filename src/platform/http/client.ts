import type { FastifyRequest } from 'fastify'

/** Where a request came from, as far as the server can tell. */
export type ClientInfo = {
  ip: string | null
  userAgent: string | null
}

export function clientOf(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent']
  return { ip: request.ip || null, userAgent: userAgent || null }
}
