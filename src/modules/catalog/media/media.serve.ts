import type { FastifyInstance } from 'fastify'
import { sendProblem } from '../../../platform/http/problems.js'
import { isStorageKey, type Storage } from '../../../platform/storage/storage.js'

/** A year: every key is content-addressed, so the bytes under a URL never change. */
const CACHE_CONTROL = 'public, max-age=31536000, immutable'

/** The ETag of a content-addressed key: the content hash its file name carries. */
function etagOf(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1)
  return `"${name.slice(0, name.indexOf('.') > 0 ? name.indexOf('.') : name.length)}"`
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*')
}

/**
 * GET /media/<key>: image files streamed from the storage (either driver), public and cacheable
 * for a year, with an ETag and 304 for a matching If-None-Match. Cross-origin embedding is allowed.
 */
export function mediaServeRoutes(storage: Storage) {
  return async (app: FastifyInstance) => {
    app.get(
      '/media/*',
      {
        schema: {
          tags: ['media'],
          summary: 'An image or thumbnail file (URLs come from product reads)',
          hide: true,
        },
      },
      async (request, reply) => {
        const key = (request.params as { '*': string })['*']
        const notFound = () =>
          sendProblem(request, reply, 404, {
            code: 'media_not_found',
            title: 'Not found',
            detail: 'No media file at this address.',
          })
        if (!isStorageKey(key)) return notFound()
        const etag = etagOf(key)
        const cacheable = () =>
          reply
            .header('etag', etag)
            .header('cache-control', CACHE_CONTROL)
            .header('cross-origin-resource-policy', 'cross-origin')
        if (matches(request.headers['if-none-match'], etag)) {
          if (!(await storage.exists(key))) return notFound()
          return cacheable().code(304).send()
        }
        const object = await storage.get(key)
        if (!object) return notFound()
        return cacheable()
          .type(object.contentType)
          .header('content-length', String(object.size))
          .send(object.body)
      },
    )
  }
}
