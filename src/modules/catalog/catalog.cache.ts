import { createHash } from 'node:crypto'
import zlib, { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Cache, CacheFactory } from '../../platform/cache/cache.js'
import { isDatabaseUnavailable } from '../../platform/db/errors.js'
import { degraded } from '../../platform/telemetry/degraded.js'
import type { Subscription } from '../../platform/module.js'
import { InventoryEvents, type StockChangedPayload } from '../inventory/index.js'
import { CatalogEvents } from './catalog.events.js'

/**
 * One storefront reply as it went out: the serialized JSON and its ETag, and the same bytes
 * compressed as @fastify/compress would compress them (when it would: see `COMPRESS_THRESHOLD`).
 */
export interface CachedReply {
  body: Buffer
  etag: string
  br?: Buffer
  gzip?: Buffer
}

const JSON_TYPE = 'application/json; charset=utf-8'

/** How long past its TTL a reply may still be served while the database is unreachable. */
export const STALE_IF_ERROR_MS = 10 * 60 * 1000

/** The same strong validator @fastify/etag computes over the same bytes. */
function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64')}"`
}

/** src/app.ts registers @fastify/compress with `threshold: 1024`: smaller bodies go out as is. */
const COMPRESS_THRESHOLD = 1024
/** @fastify/compress's own brotli default (quality 4); gzip uses zlib's default level there too. */
const BROTLI = { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } }

/** Newer Node has zstd, which @fastify/compress then puts first in its order. */
const ZSTD = 'createZstdCompress' in zlib

/** A reply to keep: compressed once here rather than by @fastify/compress on every hit. */
export function cachedReply(body: Buffer): CachedReply {
  const entry: CachedReply = { body, etag: etagOf(body) }
  if (body.length < COMPRESS_THRESHOLD) return entry
  return { ...entry, br: brotliCompressSync(body, BROTLI), gzip: gzipSync(body) }
}

/**
 * The encoding @fastify/compress would pick for this request, when it is one a cached reply
 * carries: its order is br, gzip, deflate, and with every listed coding at the same (implied)
 * quality the first of its order that the client lists wins. Headers with q-values, wildcards or
 * aliases, and `x-no-compression`, are left to the plugin (undefined), which then compresses
 * per request exactly as before.
 */
export function storedEncoding(request: FastifyRequest): 'br' | 'gzip' | undefined {
  const header = request.headers['accept-encoding']
  if (typeof header !== 'string' || request.headers['x-no-compression'] !== undefined) return
  const codings = header
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
  if (!codings.every((c) => /^[a-z-]*$/.test(c)) || codings.includes('x-gzip')) return
  if (ZSTD && codings.includes('zstd')) return
  if (codings.includes('br')) return 'br'
  return codings.includes('gzip') ? 'gzip' : undefined
}

/** Path plus the query with its parameters sorted, so `?b=1&a=2` and `?a=2&b=1` share an entry. */
export function cacheKey(url: string): string {
  const at = url.indexOf('?')
  if (at < 0) return url
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

/**
 * A preset ETag keeps @fastify/etag from hashing again; it still answers If-None-Match with 304.
 * Fastify takes the sent reply itself as a handler's result; the route's typing does not know
 * that, hence `never`.
 */
function sendCached(
  reply: FastifyReply,
  entry: CachedReply,
  state: 'hit' | 'miss' | 'stale',
): never {
  reply.header('etag', entry.etag).header('x-cache', state).type(JSON_TYPE)
  if (state === 'stale') reply.header('warning', '110 - "Response is Stale"')
  const encoding = storedEncoding(reply.request)
  const compressed = encoding && entry[encoding]
  // A reply with its Content-Encoding set is left alone by @fastify/compress.
  if (compressed) {
    reply.header('content-encoding', encoding).header('vary', 'accept-encoding').send(compressed)
  } else reply.send(entry.body)
  return reply as never
}

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
 * stock changes once the storefront's in-stock projection has them (in that order, so a read
 * between the two cannot store the old flag under the new generation). A stock change empties
 * the cache only when it flips a variant's in-stock flag, the one stock figure storefront
 * replies show: checkout's reservations and commits leave cached listings alone otherwise.
 *
 * All of them are immediate: the process that wrote runs them before it answers, so its next read
 * (and, through a shared generation, every process's within the generation refresh) never serves
 * what was there before; the bus delivers only what failed there.
 */
export function cacheInvalidations(
  cache: Cache<CachedReply>,
  applyStockChanged: (payload: StockChangedPayload) => Promise<boolean>,
): Subscription[] {
  const invalidate = () => cache.invalidate()
  return [
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
