import {
  RateLimiterCluster,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible'
import type { Logger } from 'pino'
import { redisDown, redisSpan, type Redis } from '../cache/redis.js'
import { degraded, type Degradation } from '../telemetry/degraded.js'
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

/**
 * The counters of one process; with Redis they are shared by every process on that Redis, and
 * without it, in a cluster child, by the processes of the cluster (kept in its primary).
 */
export interface RateLimitStore {
  readonly settings: RateLimitSettings
  readonly backend: 'memory' | 'redis' | 'cluster'
  counter(name: string, quota: Quota): Counter
  /** Reports a request refused by `policy` (the metrics count it). */
  rejected(policy: string): void
}

function toState(res: RateLimiterRes): WindowState {
  return { consumed: res.consumedPoints, msBeforeReset: Math.max(0, res.msBeforeNext) }
}

/** The in-process limiter that answers while the shared store (Redis, the primary) cannot. */
interface Fallback {
  insurance: RateLimiterAbstract
  /** True while the shared store is known to be unreachable: no round trip is tried then. */
  down: () => boolean
  logger: Logger | undefined
  kind: Degradation
  message: string
  /** The shared store is Redis: a consume is a traced Redis round trip. */
  redis?: boolean
}

async function consumeWith(limiter: RateLimiterAbstract, key: string): Promise<WindowState> {
  try {
    return toState(await limiter.consume(key))
  } catch (error) {
    // The library rejects with its result object when the key is over the limit.
    if (error instanceof RateLimiterRes) return toState(error)
    throw error
  }
}

function wrap(limiter: RateLimiterAbstract, quota: Quota, fallback?: Fallback): Counter {
  const degrade = (err?: unknown) =>
    degraded(fallback!.kind, fallback!.logger, fallback!.message, err)
  return {
    quota,
    async consume(key) {
      if (fallback?.down()) {
        degrade()
        return consumeWith(fallback.insurance, key)
      }
      try {
        return await (fallback?.redis
          ? redisSpan('rate-limit consume', () => consumeWith(limiter, key))
          : consumeWith(limiter, key))
      } catch (error) {
        // The cluster limiter rejects when the primary does not answer in time.
        if (!fallback) throw error
        degrade(error)
        return consumeWith(fallback.insurance, key)
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

/** How long a cluster child waits for its primary's count before counting alone. */
const CLUSTER_TIMEOUT_MS = 1000

export function createRateLimitStore(
  settings: RateLimitSettings,
  redis?: Redis,
  logger?: Logger,
  {
    cluster = false,
    onRejected = () => {},
  }: { cluster?: boolean; onRejected?: (policy: string) => void } = {},
): RateLimitStore {
  const counters = new Map<string, Counter>()

  function build(name: string, quota: Quota): Counter {
    const options = {
      keyPrefix: `${settings.keyPrefix}:${name}`,
      points: quota.limit,
      duration: quota.windowSeconds,
    }
    if (!redis && cluster) {
      // Counted in the cluster's primary (its RateLimiterClusterMaster), one IPC round trip per
      // request: the quota holds for the cluster as a whole, not once per process.
      return wrap(new RateLimiterCluster({ ...options, timeoutMs: CLUSTER_TIMEOUT_MS }), quota, {
        insurance: new RateLimiterMemory(options),
        down: () => !process.connected,
        logger,
        kind: 'clusterRateLimit',
        message: 'cluster primary unreachable: limits count in-process',
      })
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
    return wrap(limiter, quota, {
      insurance,
      down: () => redisDown(redis),
      logger,
      kind: 'redisRateLimit',
      message: 'redis unreachable: limits count in-process',
      redis: true,
    })
  }

  return {
    settings,
    backend: redis ? 'redis' : cluster ? 'cluster' : 'memory',
    rejected: onRejected,
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
