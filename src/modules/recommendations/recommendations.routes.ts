import etag from '@fastify/etag'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { problems } from '../../platform/http/schemas.js'
import { CurrencyQuery, IdOrSlugParams, ProductSchema } from '../catalog/index.js'
import { DEFAULT_LIMIT, MAX_LIMIT, type RecommendationsService } from './recommendations.service.js'

/**
 * Public like the catalog reads (ETag, If-None-Match → 304), with a shorter shared lifetime: the
 * list changes as paid orders are counted.
 */
const CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=30'

export const RecommendationsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })),
    ...CurrencyQuery.properties,
  },
  { additionalProperties: false },
)

export const RecommendationList = Type.Object({ data: Type.Array(Type.Ref(ProductSchema)) })

export function recommendationsRoutes(service: RecommendationsService) {
  return async (fastify: FastifyInstance) => {
    await fastify.register(etag, { algorithm: 'sha1' })
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.get(
      '/v1/products/:idOrSlug/recommendations',
      {
        config: { access: 'public' as const },
        schema: {
          tags: ['catalog'],
          summary: 'Products to recommend with a product',
          description:
            'Published, in-stock products: the ones most often bought together with it in paid orders ' +
            '(ranked by cosine similarity of their order sets, counted within seconds of payment), ' +
            'then products of the same categories and with similar titles and descriptions. Never the product itself.',
          params: IdOrSlugParams,
          querystring: RecommendationsQuery,
          response: { 200: RecommendationList, ...problems(404) },
        },
      },
      async (request, reply) => {
        const data = await service.recommend(request.params.idOrSlug, request.query)
        void reply.header('cache-control', CACHE_CONTROL)
        return { data }
      },
    )
  }
}
