import { Redis } from 'ioredis'

/**
 * One Redis connection per process, shared by the rate limiter and the cache. Commands
 * fail fast instead of queueing forever when Redis is down, so a request is never held by it.
 */
export function createRedis(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    enableAutoPipelining: true,
  })
}

/** For `/readyz`: resolves when Redis answers PING. */
export async function pingRedis(redis: Redis): Promise<void> {
  if (redis.status === 'wait') await redis.connect()
  await redis.ping()
}

export type { Redis }
