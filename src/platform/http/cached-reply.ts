import { createHash } from 'node:crypto'
import zlib, { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * One public reply as it went out: the serialized JSON and its ETag, and the same bytes
 * compressed as @fastify/compress would compress them (when it would: see `COMPRESS_THRESHOLD`).
 */
export interface CachedReply {
  body: Buffer
  etag: string
  br?: Buffer
  gzip?: Buffer
}

const JSON_TYPE = 'application/json; charset=utf-8'

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

/**
 * A preset ETag keeps @fastify/etag from hashing again; it still answers If-None-Match with 304.
 * Fastify takes the sent reply itself as a handler's result; the route's typing does not know
 * that, hence `never`.
 */
export function sendCached(
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
