import { connection, given, orNull } from '../../platform/graphql/resolvers.js'
import { requirePermission } from '../../platform/graphql/context.js'
import type { GraphqlPart } from '../../platform/graphql/plugin.js'
import type { Promotion as PromotionType, Resolvers } from '../../graphql.types.js'
import { promotionDto } from './promotions.routes.js'
import type { Promotion } from './promotions.rules.js'
import {
  CreatePromotionBody,
  PromotionPageQuery,
  PromotionParams,
  UpdatePromotionBody,
} from './promotions.schema.js'
import type { PromotionsService } from './promotions.service.js'

export const promotionsTypeDefs = /* GraphQL */ `
  extend type Query {
    """
    Promotions, newest first. Needs promotions:manage.
    """
    promotions(first: Int = 20, after: String): PromotionConnection!
      @complexity(value: 1, multipliers: ["first"])
    """
    One promotion, with how often it was used; null when there is none. Needs promotions:manage.
    """
    promotion(id: ID!): Promotion
  }

  extend type Mutation {
    """
    Creates a promotion with its coupon code (case-insensitive, stored upper-case); a code in use
    is \`promotion_code_taken\`. Needs promotions:manage.
    """
    createPromotion(input: PromotionInput!): Promotion!
    """
    Changes a promotion (not its code); \`active: false\` deactivates it. With
    \`expectedVersion\` (REST's If-Match) a promotion changed since is \`precondition_failed\`.
    Needs promotions:manage.
    """
    updatePromotion(id: ID!, input: PromotionPatch!, expectedVersion: Int): Promotion!
    """
    Deletes a promotion never redeemed; a redeemed one is \`promotion_in_use\` (deactivate it).
    Needs promotions:manage.
    """
    deletePromotion(id: ID!): Boolean!
  }

  """
  percentage (percentOffBps), fixed_amount (amountOff) or free_shipping.
  """
  enum PromotionKind {
    percentage
    fixed_amount
    free_shipping
  }

  type PromotionConnection {
    nodes: [Promotion!]!
    pageInfo: PageInfo!
  }

  type Promotion {
    id: ID!
    code: String!
    kind: PromotionKind!
    description: String
    """
    percentage: basis points off the subtotal (1000 = 10 %).
    """
    percentOffBps: Int
    """
    fixed_amount: the amount off per currency.
    """
    amountOff: [Money!]
    """
    When set, the promotion applies only in these currencies, from these subtotals.
    """
    minimumSubtotal: [Money!]
    startsAt: DateTime
    endsAt: DateTime
    """
    Uses in total; null: unlimited.
    """
    usageLimit: Int
    """
    Uses per customer id, or per email for guests.
    """
    perCustomerLimit: Int
    timesUsed: Int!
    active: Boolean!
    """
    Row version, for \`expectedVersion\` (REST's ETag is "v<version>").
    """
    version: Int!
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  input PromotionInput {
    """
    Letters, digits, _ and -, 3–32 characters.
    """
    code: String!
    kind: PromotionKind!
    description: String
    percentOffBps: Int
    amountOff: [MoneyInput!]
    minimumSubtotal: [MoneyInput!]
    startsAt: DateTime
    endsAt: DateTime
    usageLimit: Int
    perCustomerLimit: Int
    """
    Default true.
    """
    active: Boolean
  }

  """
  The fields given replace the promotion's; null clears an optional one.
  """
  input PromotionPatch {
    kind: PromotionKind
    description: String
    percentOffBps: Int
    amountOff: [MoneyInput!]
    minimumSubtotal: [MoneyInput!]
    startsAt: DateTime
    endsAt: DateTime
    usageLimit: Int
    perCustomerLimit: Int
    active: Boolean
  }
`

/** REST's body of a promotion, with the version its ETag carries. */
function toGraphql(promotion: Promotion): PromotionType {
  return { ...promotionDto(promotion), version: promotion.version }
}

/** Staff management of promotions over the same calls as `/v1/admin/promotions`. */
export function promotionsGraphql(service: PromotionsService): GraphqlPart {
  const resolvers: Resolvers = {
    Query: {
      promotions: async (_root, args, context) => {
        requirePermission(context, 'promotions:manage')
        const query = context.input(
          PromotionPageQuery,
          given({ limit: args.first, cursor: args.after }),
          '/promotions',
        )
        const page = await service.list(query)
        return connection({ ...page, data: page.data.map(toGraphql) })
      },
      promotion: async (_root, args, context) => {
        requirePermission(context, 'promotions:manage')
        const { id } = context.input(PromotionParams, { id: args.id }, '/promotion')
        const promotion = await orNull(service.get(id))
        return promotion && toGraphql(promotion)
      },
    },
    Mutation: {
      createPromotion: async (_root, args, context) => {
        requirePermission(context, 'promotions:manage')
        const input = context.input(
          CreatePromotionBody,
          given(args.input),
          '/createPromotion/input',
        )
        return toGraphql(await service.create(input))
      },
      updatePromotion: async (_root, args, context) => {
        requirePermission(context, 'promotions:manage')
        const { id } = context.input(PromotionParams, { id: args.id }, '/updatePromotion')
        const patch = context.input(
          UpdatePromotionBody,
          given(args.input, true),
          '/updatePromotion/input',
        )
        return toGraphql(await service.update(id, patch, args.expectedVersion ?? undefined))
      },
      deletePromotion: async (_root, args, context) => {
        requirePermission(context, 'promotions:manage')
        const { id } = context.input(PromotionParams, { id: args.id }, '/deletePromotion')
        await service.remove(id)
        return true
      },
    },
  }
  return { resolvers: resolvers as GraphqlPart['resolvers'] }
}
