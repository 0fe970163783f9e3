import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { expectedVersion, versionEtag } from '../../platform/http/conditional.js'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import { money } from '../../shared/money.js'
import type { Promotion } from './promotions.rules.js'
import {
  CreatePromotionBody,
  PromotionPage,
  PromotionPageQuery,
  PromotionParams,
  PromotionSchema,
  UpdatePromotionBody,
  type PromotionDto,
} from './promotions.schema.js'
import type { PromotionsService } from './promotions.service.js'
import type { AmountsByCurrency } from './promotions.tables.js'

const BASE = '/v1/admin/promotions'
const config = { access: { permission: 'promotions:manage' } }
const common = { tags: ['admin', 'promotions'], security: [{ bearer: [] }] }

const moneyList = (amounts: AmountsByCurrency | null) =>
  amounts &&
  Object.entries(amounts)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, amount]) => money(amount, currency))

export function promotionDto(p: Promotion): PromotionDto {
  return {
    id: p.id,
    code: p.code,
    kind: p.kind,
    description: p.description,
    percentOffBps: p.percentOffBps,
    amountOff: moneyList(p.amountOff),
    minimumSubtotal: moneyList(p.minimumSubtotal),
    startsAt: p.startsAt?.toISOString() ?? null,
    endsAt: p.endsAt?.toISOString() ?? null,
    usageLimit: p.usageLimit,
    perCustomerLimit: p.perCustomerLimit,
    timesUsed: p.timesUsed,
    active: p.active,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }
}

/** Staff management of promotions and their coupon codes (`promotions:manage`). */
export function promotionsRoutes(service: PromotionsService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.post(
      BASE,
      {
        config,
        schema: {
          ...common,
          summary: 'Create a promotion with its coupon code',
          body: CreatePromotionBody,
          response: { 201: PromotionSchema, ...problems(401, 403, 409) },
        },
      },
      async (request, reply) => {
        const promotion = await service.create(request.body)
        reply.header('etag', versionEtag(promotion.version))
        return reply.code(201).send(promotionDto(promotion))
      },
    )

    app.get(
      BASE,
      {
        config,
        schema: {
          ...common,
          summary: 'Promotions, newest first',
          querystring: PromotionPageQuery,
          response: { 200: PromotionPage, ...problems(401, 403) },
        },
      },
      async (request, reply) => {
        const page = await service.list(request.query)
        reply.header('cache-control', 'no-store')
        return { data: page.data.map(promotionDto), page: page.page }
      },
    )

    app.get(
      `${BASE}/:id`,
      {
        config,
        schema: {
          ...common,
          summary: 'One promotion, with how often it was used (ETag for If-Match)',
          params: PromotionParams,
          response: { 200: PromotionSchema, ...problems(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const promotion = await service.get(request.params.id)
        reply.header('etag', versionEtag(promotion.version)).header('cache-control', 'no-store')
        return promotionDto(promotion)
      },
    )

    app.patch(
      `${BASE}/:id`,
      {
        config,
        schema: {
          ...common,
          summary: 'Change a promotion (not its code); active: false deactivates it',
          params: PromotionParams,
          body: UpdatePromotionBody,
          response: { 200: PromotionSchema, ...problems(401, 403, 404, 412) },
        },
      },
      async (request, reply) => {
        const promotion = await service.update(
          request.params.id,
          request.body,
          expectedVersion(request.headers['if-match']),
        )
        reply.header('etag', versionEtag(promotion.version))
        return promotionDto(promotion)
      },
    )

    app.delete(
      `${BASE}/:id`,
      {
        config,
        schema: {
          ...common,
          summary: 'Delete a promotion never redeemed (a redeemed one: 409, deactivate it)',
          params: PromotionParams,
          response: { 204: Type.Null(), ...problems(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await service.remove(request.params.id)
        return reply.code(204).send(null)
      },
    )
  }
}
