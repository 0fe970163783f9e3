import type { MercuriusLoaders } from 'mercurius'
import { callerOf, type GraphqlContext } from '../platform/graphql/context.js'
import type { GraphqlPart } from '../platform/graphql/plugin.js'
import type { Resolvers } from '../graphql.types.js'
import { productLoader, type CatalogApi } from '../modules/catalog/index.js'
import { OrderParams } from '../modules/orders/index.js'
import type { CancelOrder } from './cancel-order.js'
import { CheckoutBody, CheckoutParams } from './flows.schema.js'
import type { PlaceOrder } from './place-order.js'

export const flowsTypeDefs = /* GraphQL */ `
  extend type OrderItem {
    """
    The product as the storefront shows it now, priced in the order's currency; null when it is
    no longer published.
    """
    product: Product
  }

  extend type Mutation {
    """
    Places the order: reserves the stock, charges the payment and answers with the order. A guest
    cart needs its X-Cart-Token header; the payload then carries the \`orderToken\` (send it as
    X-Order-Token to read the order). Send an \`idempotencyKey\`: a retry with it gets the first
    result and never charges twice; the same key with other input is \`idempotency_key_reused\`.
    A declined card is \`payment_declined\`; too little stock is \`out_of_stock\`. If the
    provider does not answer in time the order comes back \`pending_payment\` and is settled
    later. A card that needs 3-D Secure comes back with \`nextAction\`.
    """
    checkout(cartId: ID!, input: CheckoutInput!): CheckoutPayload!
    """
    Cancels a paid order before it ships: refunded in full, stock restored. The signed-in
    customer's own order, or a guest's with its X-Order-Token header.
    """
    cancelOrder(id: ID!): Order!
  }

  input CheckoutInput {
    email: String!
    shippingAddress: AddressInput!
    payment: PaymentInput!
    """
    1 to 255 printable ASCII characters, new for each order placed (REST's Idempotency-Key).
    """
    idempotencyKey: String
  }

  input AddressInput {
    name: String!
    line1: String!
    line2: String
    city: String!
    postalCode: String!
    """
    ISO 3166-1 alpha-2.
    """
    country: String!
  }

  input PaymentInput {
    """
    card
    """
    method: String!
    """
    Stripe: a PaymentMethod id (pm_…). Test provider: tok_visa, tok_declined, tok_timeout. The
    prefix picks the provider when several are enabled.
    """
    token: String!
  }

  type CheckoutPayload {
    order: Order!
    """
    A guest order's secret: send it as X-Order-Token to read the order; null for customers.
    """
    orderToken: String
    """
    Set when the customer must authenticate (3-D Secure) before the payment settles: pass its
    client secret to Stripe.js \`handleNextAction\`; the provider's webhook then settles the order.
    """
    nextAction: CheckoutNextAction
  }

  type CheckoutNextAction {
    """
    use_stripe_sdk
    """
    type: String!
    """
    The PaymentIntent's client secret, for Stripe.js handleNextAction.
    """
    clientSecret: String!
  }
`

/**
 * Checkout and the customer's cancellation over the same flows as their REST routes, and the
 * catalog product behind an order line (orders and catalog do not know each other).
 */
export function flowsGraphql(
  placeOrder: PlaceOrder,
  cancelOrder: CancelOrder,
  catalog: Pick<CatalogApi, 'getProducts'>,
): GraphqlPart {
  const resolvers: Resolvers = {
    Mutation: {
      checkout: async (_root, args, context) => {
        const { id } = context.input(CheckoutParams, { id: args.cartId }, '/checkout')
        const { email, shippingAddress, payment, idempotencyKey } = args.input
        const { line2, ...address } = shippingAddress
        const body = context.input(
          CheckoutBody,
          {
            email,
            shippingAddress: { ...address, ...(line2 === null ? {} : { line2 }) },
            payment,
          },
          '/checkout/input',
        )
        return context.once(
          {
            name: 'checkout',
            key: idempotencyKey,
            input: { cartId: id, ...body },
            secrets: ['orderToken'],
          },
          async () => {
            const placed = await placeOrder.checkout(callerOf(context, 'cart'), id, body)
            return { ...placed, nextAction: placed.nextAction ?? null }
          },
        )
      },
      cancelOrder: async (_root, args, context) => {
        const { id } = context.input(OrderParams, { id: args.id }, '/cancelOrder')
        return cancelOrder.cancel(callerOf(context, 'order'), id)
      },
    },
  }
  const loaders: MercuriusLoaders<GraphqlContext> = {
    OrderItem: {
      product: productLoader(
        catalog,
        (line: { productId: string | null; unitPrice: { currency: string } }) => ({
          productId: line.productId,
          currency: line.unitPrice.currency,
        }),
      ),
    },
  }
  return { resolvers: resolvers as GraphqlPart['resolvers'], loaders }
}
