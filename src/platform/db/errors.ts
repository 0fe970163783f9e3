/** PostgreSQL's unique_violation (23505), from either engine; returns the constraint's name. */
export function uniqueViolation(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { code, constraint } = error as { code?: unknown; constraint?: unknown }
  if (code !== '23505') return undefined
  return typeof constraint === 'string' ? constraint : 'unknown'
}

/** PostgreSQL's foreign_key_violation (23503). */
export function isForeignKeyViolation(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23503'
  )
}

/** Node's socket errors when the server cannot be reached or the connection broke. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])

/**
 * node-postgres's own errors for a connection that could not be made or was lost (it sets no
 * code on them), including the pool's connection timeout.
 */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection closed',
]

/**
 * True when `error` says the database cannot be reached now (not that a query was wrong):
 * a refused, reset or timed-out connection, a pool that could not connect in time, or the
 * server refusing work (SQLSTATE class 08 connection exceptions, 57P01-57P03 shutdown and
 * start-up, 53300 too many connections). Callers answer 503 and may serve stale data.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown }
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || code.startsWith('08') || code === '53300') return true
    if (code === '57P01' || code === '57P02' || code === '57P03') return true
  }
  // A connection to a host with several addresses fails as an AggregateError of socket errors.
  if (Array.isArray(errors) && errors.length > 0 && errors.every(isDatabaseUnavailable)) return true
  return typeof message === 'string' && PG_CONNECTION_MESSAGES.some((m) => message.startsWith(m))
}
