import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Cache, CacheFactory } from '../../platform/cache/cache.js'
import type { Config } from '../../config.js'
import type { Subscription } from '../../platform/module.js'
import { InventoryEvents, type StockChangedPayload } from '../inventory/index.js'
import { CatalogEvents } from './catalog.events.js'

/** One storefront reply as it went out: the serialized JSON and its ETag. */
export interface CachedReply {
  body: Buffer
  etag: string
}

const JSON_TYPE = 'application/json; charset=utf-8'

/** The same strong validator @fastify/etag computes over the same bytes. */
function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64')}"`
}

/** Path plus the query with its parameters sorted, so `?b=1&a=2` and `?a=2&b=1` share an entry. */
export function cacheKey(url: string): string {
  const at = url.indexOf('?')
  if (at < 0) return url
  const query = new URLSearchParams(url.slice(at + 1))
  query.sort()
  return `${url.slice(0, at)}?${query.toString()}`
}

export function createCatalogCache(caches: CacheFactory, config: Config): Cache<CachedReply> {
  return caches<CachedReply>('catalog', {
    ...config.catalogCache,
    sizeOf: (entry) => entry.body.length + entry.etag.length + 64,
  })
}

/**
 * A preset ETag keeps @fastify/etag from hashing again; it still answers If-None-Match with 304.
 * Fastify takes the sent reply itself as a handler's result; the route's typing does not know
 * that, hence `never`.
 */
function sendCached(reply: FastifyReply, entry: CachedReply, state: 'hit' | 'miss'): never {
  reply.header('etag', entry.etag).header('x-cache', state).type(JSON_TYPE).send(entry.body)
  return reply as never
}

/**
 * A route handler body that serves public catalog reads from the cache: a hit goes out without a
 * query or a serialization; a miss is loaded, serialized with the route's own response schema,
 * and stored under the generation taken before the load. Errors are thrown as usual and never
 * stored. With the cache off (or its generation unknown) the reply is the ordinary one.
 */
export function readThrough(cache: Cache<CachedReply>) {
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
    const body = Buffer.from(reply.serialize(await load()) as string)
    const entry = { body, etag: etagOf(body) }
    cache.set(key, entry, generation)
    return sendCached(reply, entry, 'miss')
  }
}

/**
 * Every catalog change reaches the cache through the outbox: product and category events, and
 * stock changes once the storefront's in-stock projection has them (in that order, so a read
 * between the two cannot store the old flag under the new generation).
 */
export function cacheInvalidations(
  cache: Cache<CachedReply>,
  applyStockChanged: (payload: StockChangedPayload) => Promise<void>,
): Subscription[] {
  const invalidate = () => cache.invalidate()
  return [
    {
      type: InventoryEvents.stockChanged,
      consumer: 'catalog.stock-projection',
      handler: async (event) => {
        await applyStockChanged(event.payload as unknown as StockChangedPayload)
        await invalidate()
      },
    },
    ...[
      CatalogEvents.productCreated,
      CatalogEvents.productUpdated,
      CatalogEvents.productDeleted,
      CatalogEvents.categoryChanged,
    ].map((type) => ({ type, consumer: 'catalog.cache', handler: invalidate })),
  ]
}
