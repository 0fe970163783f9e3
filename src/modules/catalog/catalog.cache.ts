import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Cache, CacheFactory } from '../../platform/cache/cache.js'
import { cachedReply, sendCached, type CachedReply } from '../../platform/http/cached-reply.js'
import { isDatabaseUnavailable } from '../../platform/db/errors.js'
import { degraded } from '../../platform/telemetry/degraded.js'
import type { Subscription } from '../../platform/module.js'
import { InventoryEvents, type StockChangedPayload } from '../inventory/index.js'
import { ReviewEvents, type RatingChangedPayload } from '../reviews/index.js'
import { CatalogEvents } from './catalog.events.js'

/**
 * Path plus the query with its parameters sorted, so `?b=1&a=2` and `?a=2&b=1` share an entry.
 */
export function cacheKey(url: string): string {
  const at = url.indexOf('?')
  // One parameter (a GraphQL GET's `query`, `?limit=20`) has no order to normalize.
  if (at < 0 || !url.includes('&', at)) return url
  const query = new URLSearchParams(url.slice(at + 1))
  query.sort()
  return `${url.slice(0, at)}?${query.toString()}`
}

/** Entry TTL in seconds (0 turns the cache off) and its size bounds. */
export interface CatalogCacheSettings {
  ttlSeconds: number
  maxEntries: number
  maxBytes: number
}

export function createCatalogCache(
  caches: CacheFactory,
  settings: CatalogCacheSettings,
): Cache<CachedReply> {
  return caches<CachedReply>('catalog', {
    ...settings,
    sizeOf: (entry) =>
      entry.body.length +
      (entry.br?.length ?? 0) +
      (entry.gzip?.length ?? 0) +
      entry.etag.length +
      96,
  })
}

export type { CachedReply }

/** How long past its TTL a reply may still be served while the database is unreachable. */
export const STALE_IF_ERROR_MS = 10 * 60 * 1000

/**
 * A route handler body that serves public catalog reads from the cache: a hit goes out without a
 * query or a serialization; a miss is loaded, serialized with the route's own response schema,
 * and stored under the generation taken before the load. Errors are thrown as usual and never
 * stored. With the cache off (or its generation unknown) the reply is the ordinary one.
 *
 * Concurrent misses of one key in one generation share a single load: after an invalidation
 * under load, one query refills an entry instead of one per waiting request (which would queue
 * the outbox relay's own queries behind them and hold the cache cold while it catches up). A
 * request that joined a load that failed loads on its own, so it gets its own error reply.
 *
 * Stale-if-error: when the load fails because the database is unreachable, an entry of the
 * current generation that expired at most `STALE_IF_ERROR_MS` ago goes out instead, marked
 * `X-Cache: stale` and `Warning: 110 - "Response is Stale"`. An invalidation drops entries, so
 * a reply older than the last write is never served this way.
 */
export function readThrough(cache: Cache<CachedReply>) {
  const loading = new Map<string, Promise<CachedReply>>()
  return async function cached<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    load: () => Promise<T>,
  ): Promise<T> {
    const generation = await cache.generation()
    if (generation === undefined) return load()
    const key = cacheKey(request.url)
    const hit = cache.get(key, generation)
    if (hit) return sendCached(reply, hit, 'hit')
    /** Stale-if-error: the last reply when the database is unreachable, else the error. */
    const staleOr = (error: unknown): never => {
      const stale =
        isDatabaseUnavailable(error) && cache.getStale(key, generation, STALE_IF_ERROR_MS)
      if (!stale) throw error
      degraded('staleServed', request.log, 'database unreachable: serving stale catalog replies')
      return sendCached(reply, stale, 'stale')
    }
    const flight = `${generation}\u0000${key}`
    const shared = loading.get(flight)
    if (shared) {
      const entry = await shared.catch(() => undefined)
      if (entry) return sendCached(reply, entry, 'hit')
      return load().catch(staleOr)
    }
    const pending = load().then((result) => {
      const entry = cachedReply(Buffer.from(reply.serialize(result) as string))
      cache.set(key, entry, generation)
      return entry
    })
    loading.set(flight, pending)
    try {
      return sendCached(reply, await pending, 'miss')
    } catch (error) {
      return staleOr(error)
    } finally {
      loading.delete(flight)
    }
  }
}

/**
 * Every catalog change reaches the cache through the outbox: product and category events, and
 * stock and rating changes once the storefront's projections have them (in that order, so a read
 * between the two cannot store the old value under the new generation). A stock change empties
 * the cache only when it flips a variant's in-stock flag, the one stock figure storefront
 * replies show: checkout's reservations and commits leave cached listings alone otherwise.
 *
 * All of them are immediate: the process that wrote runs them before it answers, so its next read
 * (and, through a shared generation, every process's within the generation refresh) never serves
 * what was there before; the bus delivers only what failed there.
 */
export function cacheInvalidations(
  cache: Cache<CachedReply>,
  projections: {
    applyStockChanged: (payload: StockChangedPayload) => Promise<boolean>
    applyRatingChanged: (payload: RatingChangedPayload) => Promise<void>
  },
): Subscription[] {
  const { applyStockChanged, applyRatingChanged } = projections
  const invalidate = () => cache.invalidate()
  return [
    {
      type: ReviewEvents.ratingChanged,
      consumer: 'catalog.rating-projection',
      immediate: true,
      handler: async (event) => {
        await applyRatingChanged(event.payload as unknown as RatingChangedPayload)
        await invalidate()
      },
    },
    {
      type: InventoryEvents.stockChanged,
      consumer: 'catalog.stock-projection',
      immediate: true,
      handler: async (event) => {
        const visible = await applyStockChanged(event.payload as unknown as StockChangedPayload)
        if (visible) await invalidate()
      },
    },
    ...[
      CatalogEvents.productCreated,
      CatalogEvents.productUpdated,
      CatalogEvents.productDeleted,
      CatalogEvents.categoryChanged,
    ].map((type) => ({ type, consumer: 'catalog.cache', immediate: true, handler: invalidate })),
  ]
}
