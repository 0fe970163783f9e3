import { requirePermission } from '../platform/graphql/context.js'
import { given } from '../platform/graphql/resolvers.js'
import type { GraphqlPart } from '../platform/graphql/plugin.js'
import type { Resolvers } from '../graphql.types.js'
import { OrderParams, RefundBody } from '../modules/orders/index.js'
import type { RefundOrder } from './refund-order.js'

export const flowsAdminTypeDefs = /* GraphQL */ `
  extend type Mutation {
    """
    Refunds through the payment provider: all that is left, or \`amount\` (minor units). Send an
    \`idempotencyKey\`: a retry with it gets the first result and the money moves once.
    Needs orders:refund.
    """
    refundOrder(id: ID!, amount: Int, reason: String, idempotencyKey: String): Order!
  }
`

/** The staff refund over the same flow as `POST /v1/admin/orders/:id/refunds`. */
export function flowsAdminGraphql(refundOrder: RefundOrder): GraphqlPart {
  const resolvers: Resolvers = {
    Mutation: {
      refundOrder: async (_root, args, context) => {
        const principal = requirePermission(context, 'orders:refund')
        const { id } = context.input(OrderParams, { id: args.id }, '/refundOrder')
        const body = context.input(
          RefundBody,
          given({ amount: args.amount, reason: args.reason }),
          '/refundOrder',
        )
        return context.once(
          {
            name: 'refundOrder',
            key: args.idempotencyKey,
            input: { id, amount: body.amount, reason: body.reason },
          },
          () => refundOrder.refund(id, body, principal.subject),
        )
      },
    },
  }
  return { resolvers: resolvers as GraphqlPart['resolvers'] }
}
