import { connection, given, orNull } from '../../platform/graphql/resolvers.js'
import { requirePermission } from '../../platform/graphql/context.js'
import type { GraphqlPart } from '../../platform/graphql/plugin.js'
import type { Resolvers } from '../../graphql.types.js'
import { AdminOrderListQuery, FulfillBody, NoteBody, OrderParams } from './orders.schema.js'
import type { OrdersService } from './orders.service.js'

export const ordersAdminTypeDefs = /* GraphQL */ `
  extend type Query {
    """
    Every order, newest first, in the staff view (notes included). \`status\` and \`email\`
    (exact) filter; \`query\` searches the order number or email; \`createdFrom\`/\`createdTo\`
    bound the creation time. Needs orders:read.
    """
    adminOrders(
      first: Int = 20
      after: String
      status: OrderStatus
      email: String
      query: String
      createdFrom: DateTime
      createdTo: DateTime
    ): OrderConnection! @complexity(value: 1, multipliers: ["first"])
    """
    One order with its full history and staff notes; null when there is none. Needs orders:read.
    """
    adminOrder(id: ID!): Order
  }

  extend type Mutation {
    """
    Fulfils a paid order, with its tracking number and carrier when given. Needs orders:manage.
    """
    fulfilOrder(id: ID!, trackingNumber: String, carrier: String): Order!
    """
    Marks a fulfilled order delivered. Needs orders:manage.
    """
    markOrderDelivered(id: ID!): Order!
    """
    Adds a staff note to the order (never shown to the customer). Needs orders:manage.
    """
    addOrderNote(id: ID!, text: String!): Order!
  }
`

/** The staff's orders over the same calls as `/v1/admin/orders` and its actions. */
export function ordersAdminGraphql(orders: OrdersService): GraphqlPart {
  const resolvers: Resolvers = {
    Query: {
      adminOrders: async (_root, args, context) => {
        requirePermission(context, 'orders:read')
        const query = context.input(
          AdminOrderListQuery,
          given({
            limit: args.first,
            cursor: args.after,
            status: args.status,
            email: args.email,
            q: args.query,
            createdFrom: args.createdFrom,
            createdTo: args.createdTo,
          }),
          '/adminOrders',
        )
        const page = await orders.adminList(query)
        return connection(page)
      },
      adminOrder: async (_root, args, context) => {
        requirePermission(context, 'orders:read')
        const { id } = context.input(OrderParams, { id: args.id }, '/adminOrder')
        return orNull(orders.adminGet(id))
      },
    },
    Mutation: {
      fulfilOrder: async (_root, args, context) => {
        const principal = requirePermission(context, 'orders:manage')
        const { id } = context.input(OrderParams, { id: args.id }, '/fulfilOrder')
        const body = context.input(
          FulfillBody,
          {
            trackingNumber: args.trackingNumber ?? undefined,
            carrier: args.carrier ?? undefined,
          },
          '/fulfilOrder',
        )
        return orders.fulfil(id, body, principal.subject)
      },
      markOrderDelivered: async (_root, args, context) => {
        const principal = requirePermission(context, 'orders:manage')
        const { id } = context.input(OrderParams, { id: args.id }, '/markOrderDelivered')
        return orders.deliver(id, principal.subject)
      },
      addOrderNote: async (_root, args, context) => {
        const principal = requirePermission(context, 'orders:manage')
        const { id } = context.input(OrderParams, { id: args.id }, '/addOrderNote')
        const { text } = context.input(NoteBody, { text: args.text }, '/addOrderNote')
        return orders.addNote(id, text, principal.subject)
      },
    },
  }
  return { resolvers: resolvers as GraphqlPart['resolvers'] }
}
