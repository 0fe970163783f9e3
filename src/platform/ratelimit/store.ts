import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible'
import type { Logger } from 'pino'
import { redisDown, type Redis } from '../cache/redis.js'
import { degraded } from '../telemetry/degraded.js'
import type { Quota, RateLimitSettings } from './settings.js'

/** Where one key stands in one fixed window. */
export interface WindowState {
  /** Requests counted in the current window, this one included. */
  consumed: number
  /** Milliseconds until the window (or a block) ends. */
  msBeforeReset: number
}

/**
 * A named fixed-window counter (rate-limiter-flexible underneath). `consume` never throws for an
 * exceeded limit: callers compare `consumed` with the quota themselves.
 */
export interface Counter {
  readonly quota: Quota
  consume(key: string): Promise<WindowState>
  /** Undefined when nothing was counted for the key in the current window. */
  get(key: string): Promise<WindowState | undefined>
  /** Marks the key as over its limit for `seconds`, whatever it had consumed. */
  block(key: string, seconds: number): Promise<void>
  delete(key: string): Promise<void>
}

/** The counters of one process; with Redis they are shared by every process on that Redis. */
export interface RateLimitStore {
  readonly settings: RateLimitSettings
  readonly backend: 'memory' | 'redis'
  counter(name: string, quota: Quota): Counter
}

function toState(res: RateLimiterRes): WindowState {
  return { consumed: res.consumedPoints, msBeforeReset: Math.max(0, res.msBeforeNext) }
}

function wrap(
  limiter: RateLimiterAbstract,
  quota: Quota,
  fallback?: { redis: Redis; insurance: RateLimiterAbstract; logger: Logger | undefined },
): Counter {
  return {
    quota,
    async consume(key) {
      let use = limiter
      if (fallback && redisDown(fallback.redis)) {
        // No Redis round trip while the connection is lost: the insurance answers at once.
        use = fallback.insurance
        degraded('redisRateLimit', fallback.logger, 'redis unreachable: limits count in-process')
      }
      try {
        return toState(await use.consume(key))
      } catch (error) {
        // The library rejects with its result object when the key is over the limit.
        if (error instanceof RateLimiterRes) return toState(error)
        throw error
      }
    },
    async get(key) {
      const res = await limiter.get(key)
      return res ? toState(res) : undefined
    },
    async block(key, seconds) {
      await limiter.block(key, seconds)
    },
    async delete(key) {
      await limiter.delete(key)
    },
  }
}

export function createRateLimitStore(
  settings: RateLimitSettings,
  redis?: Redis,
  logger?: Logger,
): RateLimitStore {
  const counters = new Map<string, Counter>()

  function build(name: string, quota: Quota): Counter {
    const options = {
      keyPrefix: `${settings.keyPrefix}:${name}`,
      points: quota.limit,
      duration: quota.windowSeconds,
    }
    if (!redis) return wrap(new RateLimiterMemory(options), quota)
    // Redis failing must not take the API down: the process falls back to counting alone
    // (limits then hold per instance) and /readyz reports Redis as unreachable. While the
    // connection is lost the insurance answers at once; a command that does not answer gives
    // up after the connection's command timeout and the library asks the insurance.
    const insurance = new RateLimiterMemory(options)
    const limiter = new RateLimiterRedis({
      ...options,
      storeClient: redis,
      insuranceLimiter: insurance,
    })
    return wrap(limiter, quota, { redis, insurance, logger })
  }

  return {
    settings,
    backend: redis ? 'redis' : 'memory',
    counter(name, quota) {
      const id = `${name}/${quota.limit}/${quota.windowSeconds}`
      let counter = counters.get(id)
      if (!counter) {
        counter = build(name, quota)
        counters.set(id, counter)
      }
      return counter
    },
  }
}
