import { createRequire } from 'node:module'
import type * as IORedis from 'ioredis'
import type { Redis } from 'ioredis'
import { SpanKind, withSpan } from '../telemetry/tracing.js'

/** ioredis, loaded when REDIS_URL is set: importing it costs ~60 ms of every start (ADR 0014). */
const require = createRequire(import.meta.url)
const loadRedis = () => require('ioredis') as typeof IORedis

/** The longest a request waits on one Redis command (a connection that stopped answering). */
export const REDIS_COMMAND_TIMEOUT_MS = 500

/**
 * One Redis connection per process, shared by the rate limiter and the cache. Commands
 * fail fast instead of queueing when Redis is down, so a request is never held by it: each
 * times out after `REDIS_COMMAND_TIMEOUT_MS`, and callers skip Redis while it is not connected
 * (`redisDown`).
 */
export function createRedis(url: string): Redis {
  const { Redis: RedisClient } = loadRedis()
  return new RedisClient(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    enableAutoPipelining: true,
  })
}

/** True while the connection is lost (reconnecting or closed): callers use their fallback at once. */
export function redisDown(redis: Redis): boolean {
  return redis.status === 'reconnecting' || redis.status === 'close' || redis.status === 'end'
}

/** For `/readyz`: resolves when Redis answers PING. */
export async function pingRedis(redis: Redis): Promise<void> {
  if (redis.status === 'wait') await redis.connect()
  await redis.ping()
}

/** A `redis <command>` client span around `fn`, within a trace (src/platform/telemetry/tracing.ts). */
export function redisSpan<T>(command: string, fn: () => Promise<T>): Promise<T> {
  const attributes = {
    'db.system': 'redis',
    'db.system.name': 'redis',
    'db.operation.name': command,
  }
  return withSpan(`redis ${command}`, attributes, fn, { kind: SpanKind.CLIENT, childOnly: true })
}

export type { Redis }
