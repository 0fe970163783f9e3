import type { Peers } from '../cluster/peers.js'
import { redisDown, redisSpan, type Redis } from './redis.js'

/** A counter that every cache sharing it compares its entries against. */
export interface Generation {
  /** Undefined when it cannot be known now (Redis unreachable): callers then bypass the cache. */
  current(): Promise<number | undefined>
  /** Increments the counter; resolves with the new value. */
  bump(): Promise<number>
}

/** The generation of one process (embedded mode, or no Redis). */
export function createLocalGeneration(): Generation {
  let value = 0
  return {
    current: async () => value,
    bump: async () => ++value,
  }
}

/**
 * The generation of one process that also moves when another process of its cluster bumps
 * (several HTTP processes without Redis): a bump is told to the peers over IPC, and each peer
 * bumps its own counter. The numbers differ between processes; only their changes matter.
 */
export function createPeerGeneration(peers: Peers, name: string): Generation {
  const topic = `cache.bump:${name}`
  let value = 0
  peers.on(topic, () => void ++value)
  return {
    current: async () => value,
    bump: async () => {
      peers.broadcast(topic)
      return ++value
    },
  }
}

export interface RedisGenerationOptions {
  /**
   * How long a value read from Redis is trusted before it is read again: the extra staleness
   * another process's bump can see, and one GET per this interval per process.
   */
  refreshMs?: number
  onError?: (error: unknown) => void
}

/**
 * A generation shared through one Redis key: `bump` is INCR, `current` a read-through GET that
 * is trusted for `refreshMs`. Concurrent readers share one GET; after a failed GET the
 * generation is unknown for `refreshMs` (no request waits on a Redis that is down).
 */
export function createRedisGeneration(
  redis: Redis,
  key: string,
  options: RedisGenerationOptions = {},
): Generation {
  const refreshMs = options.refreshMs ?? 250
  let value: number | undefined
  let checkedAt = -Infinity
  let inFlight: Promise<number | undefined> | undefined

  function remember(next: number | undefined): number | undefined {
    value = next
    checkedAt = performance.now()
    return next
  }

  function refresh(): Promise<number | undefined> {
    inFlight ??= (
      redisDown(redis)
        ? Promise.reject(new Error('redis is down'))
        : redisSpan('GET', () => redis.get(key))
    )
      .then((raw) => remember(raw === null ? 0 : Number(raw)))
      .catch((error: unknown) => {
        options.onError?.(error)
        return remember(undefined)
      })
      .finally(() => (inFlight = undefined))
    return inFlight
  }

  return {
    current() {
      if (performance.now() - checkedAt < refreshMs) return Promise.resolve(value)
      return refresh()
    },
    async bump() {
      if (redisDown(redis)) throw new Error('redis is down')
      return remember(await redisSpan('INCR', () => redis.incr(key)))!
    },
  }
}
