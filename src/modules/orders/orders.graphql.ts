import { connection, given, orNull } from '../../platform/graphql/resolvers.js'
import { callerOf, requireSignedIn, type GraphqlContext } from '../../platform/graphql/context.js'
import type { GraphqlPart } from '../../platform/graphql/plugin.js'
import type { Resolvers } from '../../graphql.types.js'
import type { OrderChange, OrderEventSource, OrderFollower } from './orders.follow.js'
import { OrderListQuery } from './orders.schema.js'
import type { OrdersService } from './orders.service.js'
import { ORDER_STATUSES } from './orders.state.js'

export const ordersTypeDefs = /* GraphQL */ `
extend type Query {
  """One order: the signed-in customer's own, or a guest's with its X-Order-Token header."""
  order(id: ID!): Order
  """The signed-in customer's orders, newest first."""
  orders(first: Int = 20, after: String): OrderConnection!
    @complexity(value: 1, multipliers: ["first"])
}

extend type Subscription {
  """
  The order's status changes as they happen, from any instance (graphql-ws on /graphql). Sign in
  with \`connection_init\` \`{ authorization: "Bearer …" }\`, or pass a guest's
  \`{ orderToken }\`. \`after\` resumes after a history position (\`seq\`); without it only what
  happens from now on arrives. At most 5 per order and caller; each ends after at most 15
  minutes and when the caller signs out.
  """
  orderUpdated(id: ID!, after: Int): OrderEvent!
}

enum OrderStatus {
  ${ORDER_STATUSES.join('\n  ')}
}

type OrderEvent {
  """Position in the order's history."""
  seq: Int!
  """order.created, order.paid, order.fulfilled …"""
  type: String!
  status: OrderStatus!
  at: DateTime!
  """The order as it is now."""
  order: Order
}

type OrderConnection {
  nodes: [Order!]!
  pageInfo: PageInfo!
}

type Order {
  id: ID!
  """Human-friendly, e.g. EMP-10001."""
  number: String!
  status: OrderStatus!
  email: String!
  currency: String!
  items: [OrderItem!]!
  totals: OrderTotals!
  shippingAddress: Address!
  shippingMethod: OrderShippingMethod
  couponCode: String
  payment: OrderPayment!
  fulfillments: [Fulfillment!]!
  cancelReason: String
  history: [OrderHistoryEntry!]!
  """Staff notes: staff views only, null for customers."""
  notes: [OrderNote!]
  createdAt: DateTime!
  updatedAt: DateTime!
}

type OrderItem {
  variantId: ID!
  productId: ID
  sku: String
  title: String
  productTitle: String
  quantity: Int!
  unitPrice: Money!
  lineTotal: Money!
}

type OrderTotals {
  subtotal: Money!
  discount: Money!
  shipping: Money!
  tax: Money!
  total: Money!
}

type Address {
  name: String!
  line1: String!
  line2: String
  city: String!
  postalCode: String!
  country: String!
}

type OrderShippingMethod {
  id: ID!
  name: String!
}

type OrderPayment {
  method: String!
  """pending, paid, declined, voided, refunded, partially_refunded"""
  status: String!
  amount: Money!
  refunded: Money!
}

type Fulfillment {
  id: ID!
  trackingNumber: String
  carrier: String
  at: DateTime!
}

type OrderHistoryEntry {
  type: String!
  at: DateTime!
  status: OrderStatus!
}

type OrderNote {
  id: ID!
  text: String!
  author: String
  at: DateTime!
}
`

/** Changes only: the idle beats are for SSE proxies; graphql-ws keeps itself alive. */
async function* withoutBeats(
  orderId: string,
  changes: AsyncIterableIterator<OrderChange | 'idle'>,
): AsyncGenerator<{ orderUpdated: OrderEventSource }> {
  try {
    for await (const change of changes)
      if (change !== 'idle') yield { orderUpdated: { ...change, orderId } }
  } finally {
    await changes.return?.()
  }
}

/** The storefront's orders and the live order subscription, over the REST routes' calls. */
export function ordersGraphql(orders: OrdersService, follower: OrderFollower): GraphqlPart {
  const resolvers: Resolvers = {
    Query: {
      order: async (_root, { id }, context) => {
        return orNull(orders.getForCaller(callerOf(context, 'order'), id))
      },
      orders: async (_root, args, context) => {
        const principal = requireSignedIn(context)
        const query = context.input(
          OrderListQuery,
          given({ limit: args.first, cursor: args.after }),
          '/orders',
        )
        const page = await orders.listForCustomer(principal.subject, query)
        return connection(page)
      },
    },
    Subscription: {
      orderUpdated: {
        subscribe: async (_root, { id, after }, context: GraphqlContext) => {
          const caller = callerOf(context, 'order')
          await orders.assertVisible(caller, id)
          const start = after ?? (await follower.position(id))
          const changes = follower.follow({
            orderId: id,
            caller,
            after: Math.max(0, start),
            stillValid: context.stillValid,
          })
          return withoutBeats(id, changes)
        },
      },
    },
    OrderEvent: {
      order: (event, _args, context) =>
        orders.getForCaller(callerOf(context, 'order'), event.orderId),
    },
  }
  return { resolvers: resolvers as GraphqlPart['resolvers'] }
}
