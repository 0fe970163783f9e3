import type { Logger } from 'pino'

/**
 * How often this process has run degraded, by cause, since it started: counted on every
 * occurrence, for the metrics endpoint to expose. The warning that goes with a cause is logged at
 * most once per `WARN_INTERVAL_MS`, with the count since the last one, never once per request.
 */
export const degradations = {
  /** A rate-limit counter answered from the in-process insurance limiter (Redis unreachable). */
  redisRateLimit: 0,
  /** The same, in a cluster child whose primary did not answer (its shared counters). */
  clusterRateLimit: 0,
  /** A cache read or invalidation that could not reach Redis (the cache was bypassed). */
  redisCache: 0,
  /** A request answered 503 because the database was unreachable. */
  databaseUnavailable: 0,
  /** A cached public read served past its TTL because the database was unreachable. */
  staleServed: 0,
  /** A read replica taken out of rotation (reads went to the primary). */
  replicaOut: 0,
  /** A batch of spans the OTLP exporter could not send (the collector did not take it). */
  traceExport: 0,
}

export type Degradation = keyof typeof degradations

const WARN_INTERVAL_MS = 10_000
const lastWarned = new Map<Degradation, { at: number; count: number }>()

/** Counts one occurrence and warns when the last warning for `kind` is old enough. */
export function degraded(
  kind: Degradation,
  logger: Pick<Logger, 'warn'> | undefined,
  message: string,
  err?: unknown,
): void {
  degradations[kind]++
  const now = performance.now()
  const last = lastWarned.get(kind)
  if (last && now - last.at < WARN_INTERVAL_MS) return
  lastWarned.set(kind, { at: now, count: degradations[kind] })
  const since = degradations[kind] - (last?.count ?? 0)
  const reason = err instanceof Error ? err.message : err === undefined ? undefined : String(err)
  logger?.warn({ degradation: kind, occurrences: since, reason }, message)
}
