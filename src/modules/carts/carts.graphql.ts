import { given, orNull } from '../../platform/graphql/resolvers.js'
import type { MercuriusLoaders } from 'mercurius'
import { callerOf, requireSignedIn, type GraphqlContext } from '../../platform/graphql/context.js'
import type { GraphqlPart } from '../../platform/graphql/plugin.js'
import type { Resolvers } from '../../graphql.types.js'
import { productLoader, type CatalogApi } from '../catalog/index.js'
import { COUPON_UNAVAILABLE_REASONS } from '../promotions/index.js'
import {
  AddItemBody,
  ApplyCouponBody,
  CartItemParams,
  CartParams,
  CreateCartBody,
  UpdateCartBody,
  UpdateItemBody,
} from './carts.schema.js'
import type { CartsService } from './carts.service.js'

export const cartsTypeDefs = /* GraphQL */ `
  extend type Query {
    """
    A cart with its lines and totals, priced now: the signed-in customer's, or a guest cart with
    its X-Cart-Token header. Null when there is none for this caller.
    """
    cart(id: ID!): Cart
    """
    Shipping methods for the cart's country and currency, priced for its subtotal.
    """
    shippingMethods(cartId: ID!): CartShippingMethods!
  }

  extend type Mutation {
    """
    Creates a cart: the signed-in customer's, or a guest cart whose \`token\` (shown once) is
    sent as X-Cart-Token from then on. \`currency\` defaults to the store currency.
    """
    createCart(currency: String): CreateCartPayload!
    """
    Adds a variant; adding one already in the cart adds to its quantity.
    """
    addCartItem(cartId: ID!, variantId: ID!, quantity: Int!): Cart!
    """
    Sets a line's quantity; 0 removes it.
    """
    updateCartItem(cartId: ID!, itemId: ID!, quantity: Int!): Cart!
    """
    Removes a line.
    """
    removeCartItem(cartId: ID!, itemId: ID!): Cart!
    """
    Sets the email, the shipping address (its country sets the tax), the shipping method or the
    reminder consent; a field left out stays as it is, null clears it.
    """
    updateCart(cartId: ID!, input: UpdateCartInput!): Cart!
    """
    Applies a coupon code (case-insensitive), replacing any other: \`coupon_not_found\`,
    \`coupon_exhausted\` or \`coupon_not_applicable\` (with \`reason\`) when it gives nothing now.
    """
    applyCoupon(cartId: ID!, code: String!): Cart!
    """
    Removes the coupon code; no coupon is not an error.
    """
    removeCoupon(cartId: ID!): Cart!
    """
    Takes over a guest cart (its X-Cart-Token header) as the signed-in customer: merged into the
    customer's open cart, if any. Returns the customer's cart.
    """
    claimCart(cartId: ID!): Cart!
  }

  enum CartStatus {
    open
    merged
    ordered
  }

  type Cart {
    id: ID!
    currency: String!
    status: CartStatus!
    email: String
    """
    Whether a guest agreed to an abandoned-cart reminder at \`email\`.
    """
    reminderConsent: Boolean!
    shippingAddress: CartAddress
    shippingMethodId: ID
    items: [CartItem!]!
    coupon: CartCoupon
    totals: CartTotals!
    taxInfo: CartTaxInfo!
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  type CreateCartPayload {
    cart: Cart!
    """
    Guest carts: the secret to send as X-Cart-Token, shown once; null for customers.
    """
    token: String
  }

  """
  variant_unavailable (gone, unpublished) or price_unavailable (no price in the cart's currency).
  """
  enum CartItemUnavailableReason {
    variant_unavailable
    price_unavailable
  }

  type CartItem {
    id: ID!
    variantId: ID!
    productId: ID
    sku: String
    title: String
    productTitle: String
    quantity: Int!
    unitPrice: Money
    lineTotal: Money!
    """
    This line's share of the cart's discount; its tax is computed on lineTotal − lineDiscount.
    """
    lineDiscount: Money!
    """
    False when the variant is gone, unpublished or unpriced: the line counts for nothing.
    """
    available: Boolean!
    unavailableReason: CartItemUnavailableReason
    inStock: Boolean!
    """
    The published product, priced in the cart's currency; null when it is no longer for sale.
    """
    product: Product
  }

  """
  A cart's shipping address: only the country is needed to price shipping and tax.
  """
  type CartAddress {
    name: String
    line1: String
    line2: String
    city: String
    postalCode: String
    """
    ISO 3166-1 alpha-2.
    """
    country: String!
  }

  input CartAddressInput {
    name: String
    line1: String
    line2: String
    city: String
    postalCode: String
    country: String!
  }

  input UpdateCartInput {
    email: String
    shippingAddress: CartAddressInput
    shippingMethodId: ID
    """
    Guest carts: true when the shopper agrees to one reminder email at \`email\` if the cart is
    left. Setting \`email\` without it sets it to false.
    """
    reminderConsent: Boolean
  }

  type CartCoupon {
    """
    Normalized upper-case.
    """
    code: String!
    """
    percentage, fixed_amount or free_shipping; null only when the code no longer exists.
    """
    kind: String
    description: String
    """
    Why the code gives nothing now (discount 0): ${COUPON_UNAVAILABLE_REASONS.join(', ')}; null
    when it applies.
    """
    unavailableReason: String
  }

  type CartTotals {
    subtotal: Money!
    discount: Money!
    shipping: Money!
    tax: Money!
    total: Money!
  }

  type CartTaxInfo {
    country: String
    """
    Basis points: 1900 = 19 %.
    """
    rateBps: Int!
    pricesIncludeTax: Boolean!
    note: String
  }

  type ShippingMethod {
    id: ID!
    name: String!
    price: Money!
    """
    The subtotal from which this method is free; null when it never is.
    """
    freeFrom: Money
  }

  type CartShippingMethods {
    country: String
    methods: [ShippingMethod!]!
  }
`

/**
 * The storefront cart over the same service calls as the `/v1/carts` routes, with the lines'
 * products loaded in one batch.
 */
export function cartsGraphql(
  carts: CartsService,
  catalog: Pick<CatalogApi, 'getProducts'>,
): GraphqlPart {
  const cartId = (context: GraphqlContext, id: string, field: string) =>
    context.input(CartParams, { id }, `/${field}`).id
  const item = (context: GraphqlContext, id: string, itemId: string, field: string) =>
    context.input(CartItemParams, { id, itemId }, `/${field}`)

  const resolvers: Resolvers = {
    Query: {
      cart: async (_root, args, context) => {
        return orNull(carts.getCart(callerOf(context, 'cart'), cartId(context, args.id, 'cart')))
      },
      shippingMethods: async (_root, args, context) => {
        const id = cartId(context, args.cartId, 'shippingMethods')
        const { country, data } = await carts.shippingMethods(callerOf(context, 'cart'), id)
        return { country, methods: data }
      },
    },
    Mutation: {
      createCart: async (_root, args, context) => {
        const body = context.input(CreateCartBody, given(args), '/createCart')
        const { token, ...cart } = await carts.createCart(
          context.principal?.subject ?? null,
          body.currency,
        )
        return { cart, token }
      },
      addCartItem: async (_root, args, context) => {
        const id = cartId(context, args.cartId, 'addCartItem')
        const body = context.input(
          AddItemBody,
          { variantId: args.variantId, quantity: args.quantity },
          '/addCartItem',
        )
        return carts.addItem(callerOf(context, 'cart'), id, body)
      },
      updateCartItem: async (_root, args, context) => {
        const { id, itemId } = item(context, args.cartId, args.itemId, 'updateCartItem')
        const { quantity } = context.input(
          UpdateItemBody,
          { quantity: args.quantity },
          '/updateCartItem',
        )
        return carts.updateItem(callerOf(context, 'cart'), id, itemId, quantity)
      },
      removeCartItem: async (_root, args, context) => {
        const { id, itemId } = item(context, args.cartId, args.itemId, 'removeCartItem')
        return carts.removeItem(callerOf(context, 'cart'), id, itemId)
      },
      updateCart: async (_root, args, context) => {
        const id = cartId(context, args.cartId, 'updateCart')
        const { shippingAddress, reminderConsent, ...rest } = args.input
        const body = context.input(
          UpdateCartBody,
          {
            ...rest,
            ...(shippingAddress === undefined
              ? {}
              : { shippingAddress: shippingAddress && given(shippingAddress) }),
            ...(reminderConsent === undefined || reminderConsent === null
              ? {}
              : { reminderConsent }),
          },
          '/updateCart/input',
        )
        return carts.updateCart(callerOf(context, 'cart'), id, body)
      },
      applyCoupon: async (_root, args, context) => {
        const id = cartId(context, args.cartId, 'applyCoupon')
        const { code } = context.input(ApplyCouponBody, { code: args.code }, '/applyCoupon')
        return carts.applyCoupon(callerOf(context, 'cart'), id, code)
      },
      removeCoupon: async (_root, args, context) =>
        carts.removeCoupon(callerOf(context, 'cart'), cartId(context, args.cartId, 'removeCoupon')),
      claimCart: async (_root, args, context) => {
        const principal = requireSignedIn(context)
        const id = cartId(context, args.cartId, 'claimCart')
        return carts.claimCart(principal.subject, id, context.tokens.cart)
      },
    },
  }

  const loaders: MercuriusLoaders<GraphqlContext> = {
    CartItem: {
      product: productLoader(
        catalog,
        (line: { productId: string | null; lineTotal: { currency: string } }) => ({
          productId: line.productId,
          currency: line.lineTotal.currency,
        }),
      ),
    },
  }
  return { resolvers: resolvers as GraphqlPart['resolvers'], loaders }
}
