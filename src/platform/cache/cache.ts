import { LRUCache } from 'lru-cache'
import type { Peers } from '../cluster/peers.js'
import type { Metrics } from '../telemetry/metrics.js'
import {
  createLocalGeneration,
  createPeerGeneration,
  createRedisGeneration,
  type Generation,
} from './generation.js'
import type { Redis } from './redis.js'

/**
 * A read-through cache whose entries belong to a generation. A reader takes the generation
 * before it reads the source and stores under it; `invalidate` bumps the generation, after which
 * nothing stored before is served (in every process sharing the generation) and a read that
 * started before the bump cannot store its possibly stale result. Entries live in this process,
 * bounded by count, bytes and a TTL.
 */
export interface Cache<V> {
  /** The generation to read and store under; undefined when caching is off or unknowable now. */
  generation(): Promise<number | undefined>
  get(key: string, generation: number): V | undefined
  /**
   * An entry of the current generation that has outlived its TTL by at most `maxStaleMs`
   * (stale-if-error: served only when the source fails); undefined otherwise.
   */
  getStale(key: string, generation: number, maxStaleMs: number): V | undefined
  /** Ignored when `generation` is no longer the current one. */
  set(key: string, value: V, generation: number): void
  /** Makes every entry stored so far unreachable; rejects when the shared generation is down. */
  invalidate(): Promise<void>
  /** Entries and bytes held now (for tests and metrics). */
  readonly stats: { entries: number; bytes: number }
}

export interface CacheOptions<V> {
  /** Entry lifetime; 0 turns the cache off (every read goes to the source). */
  ttlSeconds: number
  maxEntries: number
  maxBytes: number
  /** Approximate bytes an entry holds, for the `maxBytes` bound. */
  sizeOf: (value: V) => number
  /** Milliseconds on a monotonic clock; tests pass their own to expire entries without waiting. */
  now?: () => number
}

/** Told whether each `get` found an entry (the metrics count hits and misses). */
export type CacheLookupObserver = (result: 'hit' | 'miss') => void

/** Creates a cache over a generation (in-process, or shared through Redis). */
export function createCache<V extends object>(
  generationSource: Generation,
  options: CacheOptions<V>,
  onLookup: CacheLookupObserver = () => {},
): Cache<V> {
  if (options.ttlSeconds === 0) return disabledCache()
  const store = new LRUCache<string, V>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    // Oversized values are refused rather than evicting everything else.
    maxEntrySize: Math.max(1, Math.floor(options.maxBytes / 4)),
    sizeCalculation: (value, key) => Math.max(1, options.sizeOf(value) + key.length * 2),
    ttl: options.ttlSeconds * 1000,
    // An expired entry stays (until evicted or invalidated) for `getStale`; `get` skips it.
    noDeleteOnStaleGet: true,
    // A clock of one's own is read on every check, not debounced as lru-cache does by default.
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  })
  // The generation the stored entries belong to; a new one empties the store.
  let current: number | undefined

  function observe(generation: number | undefined): number | undefined {
    if (generation !== undefined && generation !== current) {
      store.clear()
      current = generation
    }
    return generation
  }

  return {
    async generation() {
      return observe(await generationSource.current())
    },
    get(key, generation) {
      const value = generation === current ? store.get(key) : undefined
      onLookup(value === undefined ? 'miss' : 'hit')
      return value
    },
    getStale(key, generation, maxStaleMs) {
      if (generation !== current) return undefined
      const remaining = store.getRemainingTTL(key)
      if (remaining === 0 || remaining < -maxStaleMs) return undefined
      return store.get(key, { allowStale: true })
    },
    set(key, value, generation) {
      if (generation === current) store.set(key, value)
    },
    async invalidate() {
      // Local entries go first, so this process never serves them again even if the shared
      // bump fails (the caller's event is then retried).
      store.clear()
      current = undefined
      observe(await generationSource.bump())
    },
    get stats() {
      return { entries: store.size, bytes: store.calculatedSize }
    },
  }
}

function disabledCache<V>(): Cache<V> {
  return {
    generation: async () => undefined,
    get: () => undefined,
    getStale: () => undefined,
    set: () => {},
    invalidate: async () => {},
    stats: { entries: 0, bytes: 0 },
  }
}

/** Makes the named caches of one process; modules get it as `deps.caches`. */
export type CacheFactory = <V extends object>(name: string, options: CacheOptions<V>) => Cache<V>

/**
 * With Redis, the generation of cache `name` is the Redis key `<prefix>:<name>:generation`,
 * shared by every process on that Redis. Without it, each cache's generation is in-process, and
 * in a cluster child its bumps are told to the other processes of the cluster (`peers`).
 */
export function createCacheFactory(options: {
  redis?: Redis
  peers?: Peers
  prefix: string
  onError?: (error: unknown) => void
  /** The caches' clock in milliseconds (tests move it; default: the process's own). */
  now?: () => number
  /** Where each cache's hits and misses are counted, labelled with its name. */
  metrics?: Metrics
}): CacheFactory {
  return (name, cacheOptions) => {
    const { redis, peers, prefix, onError, now, metrics } = options
    const generation = redis
      ? createRedisGeneration(redis, `${prefix}:${name}:generation`, { onError })
      : peers
        ? createPeerGeneration(peers, name)
        : createLocalGeneration()
    const requests = metrics?.cacheRequests
    return createCache(
      generation,
      now ? { now, ...cacheOptions } : cacheOptions,
      requests && ((result) => requests.inc({ cache: name, result })),
    )
  }
}
