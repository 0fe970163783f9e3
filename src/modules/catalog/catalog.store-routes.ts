import etag from '@fastify/etag'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import type { Cache } from '../../platform/cache/cache.js'
import { problems } from '../../platform/http/schemas.js'
import { readThrough, type CachedReply } from './catalog.cache.js'
import type { CatalogApi } from './catalog.api.js'
import {
  CategoryList,
  CategorySchema,
  CurrencyQuery,
  IdOrSlugParams,
  ProductListQuery,
  ProductPage,
  ProductSchema,
} from './catalog.schema.js'
import { Type } from '@sinclair/typebox'

/** Public reads: ETag over the bytes, If-None-Match → 304, and a short shared cache lifetime. */
const CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=60'

export function storeRoutes(catalog: CatalogApi, cache: Cache<CachedReply>) {
  const cached = readThrough(cache)
  return async (fastify: FastifyInstance) => {
    await fastify.register(etag, { algorithm: 'sha1' })
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.addHook('onSend', async (request, reply) => {
      if (request.method === 'GET' && reply.statusCode === 200)
        reply.header('cache-control', CACHE_CONTROL)
    })
    const config = { access: 'public' as const }

    app.get(
      '/v1/products',
      {
        config,
        schema: {
          tags: ['catalog'],
          summary: 'List published products',
          description:
            'Cursor-paginated. `q` is full-text search (English stemming, websearch syntax, typo-tolerant fallback). ' +
            '`category` includes subcategories. Price filters match products with a variant priced in range.',
          querystring: ProductListQuery,
          response: { 200: ProductPage, ...problems() },
        },
      },
      async (request, reply) => cached(request, reply, () => catalog.listProducts(request.query)),
    )

    app.get(
      '/v1/products/:idOrSlug',
      {
        config,
        schema: {
          tags: ['catalog'],
          summary: 'Get a published product by id or slug',
          params: IdOrSlugParams,
          querystring: CurrencyQuery,
          response: { 200: Type.Ref(ProductSchema), ...problems(404) },
        },
      },
      async (request, reply) =>
        cached(request, reply, () =>
          catalog.getProduct(request.params.idOrSlug, request.query.currency),
        ),
    )

    app.get(
      '/v1/categories',
      {
        config,
        schema: {
          tags: ['catalog'],
          summary: 'The category tree',
          response: { 200: CategoryList, ...problems() },
        },
      },
      async (request, reply) =>
        cached(request, reply, async () => ({ data: await catalog.categories.tree() })),
    )

    app.get(
      '/v1/categories/:idOrSlug',
      {
        config,
        schema: {
          tags: ['catalog'],
          summary: 'A category and its subtree',
          params: IdOrSlugParams,
          response: { 200: Type.Ref(CategorySchema), ...problems(404) },
        },
      },
      async (request, reply) =>
        cached(request, reply, () => catalog.categories.get(request.params.idOrSlug)),
    )
  }
}
