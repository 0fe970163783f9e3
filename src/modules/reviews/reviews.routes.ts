import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { principalOf } from '../../platform/http/access.js'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import {
  AdminReviewListQuery,
  AdminReviewPage,
  AdminReviewSchema,
  CreateReviewBody,
  ModerateReviewBody,
  ProductIdParams,
  ReviewListQuery,
  ReviewPage,
  ReviewParams,
  ReviewSchema,
} from './reviews.schema.js'
import type { ReviewsService } from './reviews.service.js'

const SECURITY = [{ bearer: [] }]
/** Writing reviews and votes also counts against the per-customer `reviews` quota. */
const WRITE = {
  access: 'authenticated' as const,
  rateLimit: { principalQuota: 'reviews' as const },
}
const MODERATE = { access: { permission: 'reviews:moderate' } }

/** Customers write and read reviews; staff moderate them. */
export function reviewsRoutes(service: ReviewsService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.post(
      '/v1/products/:id/reviews',
      {
        config: WRITE,
        schema: {
          tags: ['reviews'],
          summary: 'Review a published product (one per customer); pending until staff publish it',
          security: SECURITY,
          params: ProductIdParams,
          body: CreateReviewBody,
          response: { 201: Type.Ref(ReviewSchema), ...problems(401, 404, 409, 429) },
        },
      },
      async (request, reply) => {
        const { subject } = principalOf(request)
        const review = await service.create(subject, request.params.id, request.body)
        return reply.code(201).send(review)
      },
    )

    app.get(
      '/v1/products/:id/reviews',
      {
        config: { access: 'public' },
        schema: {
          tags: ['reviews'],
          summary: "A product's published reviews",
          params: ProductIdParams,
          querystring: ReviewListQuery,
          response: { 200: ReviewPage, ...problems() },
        },
      },
      async (request) => service.listPublished(request.params.id, request.query),
    )

    app.post(
      '/v1/reviews/:id/helpful',
      {
        config: WRITE,
        schema: {
          tags: ['reviews'],
          summary: 'Mark a published review helpful (once per customer; again changes nothing)',
          security: SECURITY,
          params: ReviewParams,
          response: { 200: Type.Ref(ReviewSchema), ...problems(401, 404, 429) },
        },
      },
      async (request) => service.markHelpful(principalOf(request).subject, request.params.id),
    )

    app.get(
      '/v1/admin/reviews',
      {
        config: MODERATE,
        schema: {
          tags: ['admin', 'reviews'],
          summary: 'Reviews, newest first, by status (e.g. pending) and product',
          security: SECURITY,
          querystring: AdminReviewListQuery,
          response: { 200: AdminReviewPage, ...problems(401, 403) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store')
        return service.listForStaff(request.query)
      },
    )

    app.patch(
      '/v1/admin/reviews/:id',
      {
        config: MODERATE,
        schema: {
          tags: ['admin', 'reviews'],
          summary: "Publish or reject a review; the product's rating follows at once",
          security: SECURITY,
          params: ReviewParams,
          body: ModerateReviewBody,
          response: { 200: Type.Ref(AdminReviewSchema), ...problems(401, 403, 404) },
        },
      },
      async (request) => service.moderate(request.params.id, request.body),
    )
  }
}
