import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { createProduct } from '../helpers/catalog.js'
import { statementsOf } from '../helpers/statements.js'
import {
  ADDRESS,
  cartWith,
  checkout as restCheckout,
  stockOf,
  stockedVariant,
} from '../checkout/support.js'
import { createPromotion } from '../promotions/support.js'
import { gql, gqlData, gqlErrorCode } from './support.js'

let ctx: TestContext
let staff: string

before(async () => {
  ctx = await createTestContext({ PAYMENT_TEST_TIMEOUT_DELAY_MS: '0' })
  staff = await ctx.tokenFor('staff')
})
after(() => ctx.close())

interface Money {
  amount: number
  currency: string
}

interface CartData {
  id: string
  status: string
  email: string | null
  shippingAddress: { country: string; city: string | null } | null
  shippingMethodId: string | null
  items: {
    id: string
    variantId: string
    sku: string | null
    quantity: number
    lineTotal: Money
    lineDiscount: Money
    inStock: boolean
    product: { title: string; variants: { sku: string }[] } | null
  }[]
  coupon: { code: string; kind: string | null; unavailableReason: string | null } | null
  totals: Record<'subtotal' | 'discount' | 'shipping' | 'tax' | 'total', Money>
  taxInfo: { country: string | null; rateBps: number }
}

interface OrderData {
  id: string
  number: string
  status: string
  totals: { total: { amount: number } }
  items: { sku: string | null; quantity: number; product: { title: string } | null }[]
}

interface CheckoutData {
  order: OrderData
  orderToken: string | null
  nextAction: { type: string; clientSecret: string } | null
}

const CART_FIELDS = `
  id status email shippingAddress { country city } shippingMethodId
  items {
    id variantId sku quantity inStock
    lineTotal { amount currency } lineDiscount { amount currency }
    product { title variants { sku } }
  }
  coupon { code kind unavailableReason }
  totals {
    subtotal { amount currency } discount { amount currency } shipping { amount currency }
    tax { amount currency } total { amount currency }
  }
  taxInfo { country rateBps }`

const ORDER_FIELDS = `id number status totals { total { amount } }
  items { sku quantity product { title } }`

const CREATE_CART = `mutation ($currency: String) {
  createCart(currency: $currency) { cart { ${CART_FIELDS} } token }
}`
const CART = `query ($id: ID!) { cart(id: $id) { ${CART_FIELDS} } }`
const ADD = `mutation ($cartId: ID!, $variantId: ID!, $quantity: Int!) {
  addCartItem(cartId: $cartId, variantId: $variantId, quantity: $quantity) { ${CART_FIELDS} }
}`
const UPDATE_ITEM = `mutation ($cartId: ID!, $itemId: ID!, $quantity: Int!) {
  updateCartItem(cartId: $cartId, itemId: $itemId, quantity: $quantity) { ${CART_FIELDS} }
}`
const REMOVE_ITEM = `mutation ($cartId: ID!, $itemId: ID!) {
  removeCartItem(cartId: $cartId, itemId: $itemId) { ${CART_FIELDS} }
}`
const UPDATE_CART = `mutation ($cartId: ID!, $input: UpdateCartInput!) {
  updateCart(cartId: $cartId, input: $input) { ${CART_FIELDS} }
}`
const SHIPPING = `query ($cartId: ID!) {
  shippingMethods(cartId: $cartId) { country methods { id name price { amount } freeFrom { amount } } }
}`
const APPLY = `mutation ($cartId: ID!, $code: String!) {
  applyCoupon(cartId: $cartId, code: $code) { ${CART_FIELDS} }
}`
const REMOVE_COUPON = `mutation ($cartId: ID!) { removeCoupon(cartId: $cartId) { ${CART_FIELDS} } }`
const CLAIM = `mutation ($cartId: ID!) { claimCart(cartId: $cartId) { ${CART_FIELDS} } }`
const CHECKOUT = `mutation ($cartId: ID!, $input: CheckoutInput!) {
  checkout(cartId: $cartId, input: $input) {
    order { ${ORDER_FIELDS} }
    orderToken
    nextAction { type clientSecret }
  }
}`
const ORDER = `query ($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`
const ORDERS = `query { orders(first: 10) { nodes { ${ORDER_FIELDS} } } }`
const CANCEL = `mutation ($id: ID!) {
  cancelOrder(id: $id) { id status payment { status refunded { amount } } }
}`

/** A caller: a guest's cart token, a customer's bearer token, or both (claiming). */
interface Caller {
  cartToken?: string
  orderToken?: string
  bearer?: string
}

function as(caller: Caller) {
  const headers: Record<string, string> = {}
  if (caller.cartToken) headers['x-cart-token'] = caller.cartToken
  if (caller.orderToken) headers['x-order-token'] = caller.orderToken
  return { headers, ...(caller.bearer ? { token: caller.bearer } : {}) }
}

const checkoutInput = (options: { token?: string; key?: string; email?: string } = {}) => ({
  email: options.email ?? 'ada@example.test',
  shippingAddress: { ...ADDRESS, line2: null },
  payment: { method: 'card', token: options.token ?? 'tok_visa' },
  ...(options.key ? { idempotencyKey: options.key } : {}),
})

async function createCart(caller: Caller = {}) {
  const { createCart } = await gqlData<{ createCart: { cart: CartData; token: string | null } }>(
    ctx,
    CREATE_CART,
    { currency: 'EUR' },
    as(caller),
  )
  return createCart
}

async function add(caller: Caller, cartId: string, variantId: string, quantity: number) {
  const { addCartItem } = await gqlData<{ addCartItem: CartData }>(
    ctx,
    ADD,
    { cartId, variantId, quantity },
    as(caller),
  )
  return addCartItem
}

async function ordersOfCart(cartId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from orders.order where state->>'cartId' = ${cartId}`.execute(
    ctx.database.db,
  )
  return Number(rows[0]!.n)
}

describe(`GraphQL storefront: a guest buys (${engine})`, () => {
  test('cart, lines with products, address and shipping, coupon, checkout, the order by its token', async () => {
    const shirt = await createProduct(ctx, staff, {
      title: `Shirt ${uniqueSuffix()}`,
      variants: [
        { price: 2000, onHand: 10, options: { size: 'M' } },
        { price: 2000, onHand: 10, options: { size: 'L' } },
      ],
    })
    const mug = await stockedVariant(ctx, staff, 10, 1500)
    const promo = await createPromotion(ctx, staff, { kind: 'percentage', percentOffBps: 1000 })

    const created = await createCart()
    assert.match(created.token!, /.+/)
    assert.equal(created.cart.status, 'open')
    assert.deepEqual(created.cart.items, [])
    const guest = { cartToken: created.token! }
    const cartId = created.cart.id

    await add(guest, cartId, shirt.variants[0]!.id, 1)
    await add(guest, cartId, mug, 1)
    let cart = await add(guest, cartId, shirt.variants[0]!.id, 1)
    assert.deepEqual(
      cart.items.map((i) => [i.variantId, i.quantity]),
      [
        [shirt.variants[0]!.id, 2],
        [mug, 1],
      ],
    )
    assert.equal(cart.items[0]!.product!.title, shirt.title)
    assert.deepEqual(
      cart.items[0]!.product!.variants.map((v) => v.sku),
      shirt.variants.map((v) => v.sku),
    )
    assert.equal(cart.totals.subtotal.amount, 5500)

    // A line's quantity, then a line added and removed again.
    cart = await gqlData<{ updateCartItem: CartData }>(
      ctx,
      UPDATE_ITEM,
      { cartId, itemId: cart.items[1]!.id, quantity: 2 },
      as(guest),
    ).then((d) => d.updateCartItem)
    assert.equal(cart.items[1]!.quantity, 2)
    cart = await add(guest, cartId, shirt.variants[1]!.id, 1)
    const extra = cart.items.find((i) => i.variantId === shirt.variants[1]!.id)!
    cart = (
      await gqlData<{ removeCartItem: CartData }>(
        ctx,
        REMOVE_ITEM,
        { cartId, itemId: extra.id },
        as(guest),
      )
    ).removeCartItem
    assert.equal(cart.items.length, 2)
    assert.equal(cart.totals.subtotal.amount, 7000)

    // Address (partial: the country prices shipping and tax) and the shipping method.
    cart = (
      await gqlData<{ updateCart: CartData }>(
        ctx,
        UPDATE_CART,
        {
          cartId,
          input: {
            email: 'ada@example.test',
            shippingAddress: { country: 'DE', city: 'Berlin', name: null },
            shippingMethodId: 'express',
          },
        },
        as(guest),
      )
    ).updateCart
    assert.equal(cart.email, 'ada@example.test')
    assert.deepEqual(cart.shippingAddress, { country: 'DE', city: 'Berlin' })
    assert.equal(cart.shippingMethodId, 'express')
    assert.equal(cart.taxInfo.country, 'DE')
    assert.equal(cart.totals.shipping.amount, 1490)

    const { shippingMethods } = await gqlData<{
      shippingMethods: { country: string; methods: { id: string; price: { amount: number } }[] }
    }>(ctx, SHIPPING, { cartId }, as(guest))
    assert.equal(shippingMethods.country, 'DE')
    assert.deepEqual(
      shippingMethods.methods.map((m) => m.id),
      ['standard', 'express'],
    )
    cart = (
      await gqlData<{ updateCart: CartData }>(
        ctx,
        UPDATE_CART,
        { cartId, input: { shippingMethodId: 'standard' } },
        as(guest),
      )
    ).updateCart
    assert.equal(cart.totals.shipping.amount, 0, 'standard is free from 50 EUR')
    assert.equal(cart.email, 'ada@example.test', 'a field left out stays')

    // A coupon: applied, removed, applied again; an unknown one is REST's code.
    assert.equal(
      await gqlErrorCode(ctx, APPLY, { cartId, code: 'NO-SUCH-CODE' }, as(guest)),
      'coupon_not_found',
    )
    cart = (
      await gqlData<{ applyCoupon: CartData }>(
        ctx,
        APPLY,
        { cartId, code: promo.code.toLowerCase() },
        as(guest),
      )
    ).applyCoupon
    assert.equal(cart.coupon!.code, promo.code)
    assert.equal(cart.coupon!.kind, 'percentage')
    assert.equal(cart.totals.discount.amount, 700)
    cart = (await gqlData<{ removeCoupon: CartData }>(ctx, REMOVE_COUPON, { cartId }, as(guest)))
      .removeCoupon
    assert.equal(cart.coupon, null)
    assert.equal(cart.totals.discount.amount, 0)
    cart = (
      await gqlData<{ applyCoupon: CartData }>(ctx, APPLY, { cartId, code: promo.code }, as(guest))
    ).applyCoupon
    const total = cart.totals.total.amount
    assert.equal(total, 7000 - 700)

    // Checkout: the order paid, the guest's order token.
    const { checkout } = await gqlData<{ checkout: CheckoutData }>(
      ctx,
      CHECKOUT,
      { cartId, input: checkoutInput({ key: `buy-${uniqueSuffix()}` }) },
      as(guest),
    )
    assert.equal(checkout.order.status, 'paid')
    assert.match(checkout.order.number, /^EMP-\d+$/)
    assert.equal(checkout.order.totals.total.amount, total)
    assert.deepEqual(
      checkout.order.items.map((i) => [i.sku, i.quantity]),
      [
        [shirt.variants[0]!.sku, 2],
        [cart.items[1]!.sku, 2],
      ],
    )
    assert.equal(checkout.order.items[0]!.product!.title, shirt.title, 'OrderItem.product')
    assert.match(checkout.orderToken!, /^ot_/)
    assert.equal(checkout.nextAction, null)

    // The order with its X-Order-Token; without it, null.
    const read = await gqlData<{ order: OrderData | null }>(
      ctx,
      ORDER,
      { id: checkout.order.id },
      as({ orderToken: checkout.orderToken! }),
    )
    assert.equal(read.order!.number, checkout.order.number)
    assert.deepEqual(
      (await gqlData<{ order: OrderData | null }>(ctx, ORDER, { id: checkout.order.id })).order,
      null,
    )
    // The cart is ordered: readable, no longer changeable.
    const ordered = await gqlData<{ cart: CartData }>(ctx, CART, { id: cartId }, as(guest))
    assert.equal(ordered.cart.status, 'ordered')
    assert.equal(
      await gqlErrorCode(ctx, ADD, { cartId, variantId: mug, quantity: 1 }, as(guest)),
      'cart_not_open',
    )
  })

  test('an idempotencyKey places one order: a retry gets it again, other input is refused', async () => {
    const variantId = await stockedVariant(ctx, staff, 5)
    const { cart, token } = await createCart()
    const guest = { cartToken: token! }
    await add(guest, cart.id, variantId, 1)
    const key = `gql-checkout-${uniqueSuffix()}`
    const first = await gql<{ checkout: CheckoutData }>(
      ctx,
      CHECKOUT,
      { cartId: cart.id, input: checkoutInput({ key }) },
      as(guest),
    )
    assert.equal(first.errors, undefined, JSON.stringify(first.errors))
    const replay = await gql<{ checkout: CheckoutData }>(
      ctx,
      CHECKOUT,
      { cartId: cart.id, input: checkoutInput({ key }) },
      as(guest),
    )
    assert.equal(replay.errors, undefined, JSON.stringify(replay.errors))
    assert.equal(replay.response.headers['idempotent-replayed'], 'true')
    assert.deepEqual(replay.data, first.data, 'the same order and the same order token')
    assert.equal(await ordersOfCart(cart.id), 1)
    assert.equal((await stockOf(ctx, variantId)).onHand, 4, 'one sale')

    const other = await gql(
      ctx,
      CHECKOUT,
      { cartId: cart.id, input: checkoutInput({ key, email: 'someone-else@example.test' }) },
      as(guest),
    )
    assert.equal(other.errors?.[0]?.extensions.code, 'idempotency_key_reused')
    assert.equal(await ordersOfCart(cart.id), 1)
  })

  test("out of stock, another guest's cart, a declined card, bad input: REST's codes", async () => {
    // Adding a line never holds stock (REST answers the same): the checkout is refused.
    const variantId = await stockedVariant(ctx, staff, 1)
    const { cart, token } = await createCart()
    const guest = { cartToken: token! }
    const added = await add(guest, cart.id, variantId, 2)
    assert.equal(added.items[0]!.inStock, true)
    assert.equal(
      await gqlErrorCode(ctx, CHECKOUT, { cartId: cart.id, input: checkoutInput() }, as(guest)),
      'out_of_stock',
    )
    const soldOut = await stockedVariant(ctx, staff, 0)
    const withSoldOut = await add(guest, cart.id, soldOut, 1)
    assert.equal(withSoldOut.items.find((i) => i.variantId === soldOut)!.inStock, false)
    assert.equal(await ordersOfCart(cart.id), 0)

    // A wrong or missing cart token: the cart is not found, whoever asks.
    const stranger = { cartToken: `${token!.slice(0, -2)}xx` }
    for (const caller of [stranger, {}]) {
      assert.equal(
        await gqlErrorCode(ctx, ADD, { cartId: cart.id, variantId, quantity: 1 }, as(caller)),
        'cart_not_found',
      )
      assert.equal(
        await gqlErrorCode(ctx, CHECKOUT, { cartId: cart.id, input: checkoutInput() }, as(caller)),
        'cart_not_found',
      )
      assert.equal(
        (await gqlData<{ cart: CartData | null }>(ctx, CART, { id: cart.id }, as(caller))).cart,
        null,
      )
    }

    // A declined card: payment_declined, the stock released, the cart open again.
    const card = await stockedVariant(ctx, staff, 3)
    const declined = await createCart()
    const shopper = { cartToken: declined.token! }
    await add(shopper, declined.cart.id, card, 3)
    assert.equal(
      await gqlErrorCode(
        ctx,
        CHECKOUT,
        { cartId: declined.cart.id, input: checkoutInput({ token: 'tok_declined' }) },
        as(shopper),
      ),
      'payment_declined',
    )
    const level = await stockOf(ctx, card)
    assert.deepEqual([level.onHand, level.reserved], [3, 0])
    const reopened = await gqlData<{ cart: CartData }>(
      ctx,
      CART,
      { id: declined.cart.id },
      as(shopper),
    )
    assert.equal(reopened.cart.status, 'open')

    // Arguments are validated with the REST body schemas.
    const bad = await gql(
      ctx,
      CHECKOUT,
      {
        cartId: declined.cart.id,
        input: {
          ...checkoutInput(),
          email: 'not-an-email',
          payment: { method: 'cash', token: 'x' },
        },
      },
      as(shopper),
    )
    assert.equal(bad.errors?.[0]?.extensions.code, 'validation_failed')
    const paths = (bad.errors?.[0]?.extensions.errors as { path: string }[]).map((e) => e.path)
    assert.ok(paths.includes('/checkout/input/email'), paths.join())
    assert.equal(
      await gqlErrorCode(
        ctx,
        ADD,
        { cartId: declined.cart.id, variantId: card, quantity: 0 },
        as(shopper),
      ),
      'validation_failed',
    )
    assert.equal(await gqlErrorCode(ctx, CREATE_CART, { currency: 'XXX' }), 'currency_unsupported')
  })
})

describe(`GraphQL storefront: a signed-in customer (${engine})`, () => {
  test("the customer's cart, a claimed guest cart, checkout, orders, and cancelling a paid order", async () => {
    const customer = await ctx.tokenFor('customer')
    const me = { bearer: customer }
    const shoes = await stockedVariant(ctx, staff, 4, 3000)
    const socks = await stockedVariant(ctx, staff, 10, 500)

    const created = await createCart(me)
    assert.equal(created.token, null, 'a customer cart needs no token')
    await add(me, created.cart.id, shoes, 2)

    // A guest cart taken over after signing in: its lines join the customer's cart.
    const guestCart = await createCart()
    await add({ cartToken: guestCart.token! }, guestCart.cart.id, socks, 3)
    assert.equal(
      await gqlErrorCode(
        ctx,
        CLAIM,
        { cartId: guestCart.cart.id },
        as({ cartToken: guestCart.token! }),
      ),
      'unauthenticated',
    )
    assert.equal(
      await gqlErrorCode(ctx, CLAIM, { cartId: guestCart.cart.id }, as(me)),
      'cart_not_found',
      'the guest token is needed',
    )
    const { claimCart } = await gqlData<{ claimCart: CartData }>(
      ctx,
      CLAIM,
      { cartId: guestCart.cart.id },
      as({ ...me, cartToken: guestCart.token! }),
    )
    assert.equal(claimCart.id, created.cart.id)
    assert.deepEqual(
      claimCart.items.map((i) => [i.variantId, i.quantity]),
      [
        [shoes, 2],
        [socks, 3],
      ],
    )
    const { cart } = await gqlData<{ cart: CartData }>(ctx, CART, { id: created.cart.id }, as(me))
    assert.equal(cart.items.length, 2)
    assert.equal(
      (await gqlData<{ cart: CartData | null }>(ctx, CART, { id: created.cart.id })).cart,
      null,
      "a customer's cart is nobody else's",
    )

    const { checkout } = await gqlData<{ checkout: CheckoutData }>(
      ctx,
      CHECKOUT,
      { cartId: cart.id, input: checkoutInput({ key: `me-${uniqueSuffix()}` }) },
      as(me),
    )
    assert.equal(checkout.order.status, 'paid')
    assert.equal(checkout.orderToken, null)
    const { orders } = await gqlData<{ orders: { nodes: OrderData[] } }>(ctx, ORDERS, {}, as(me))
    assert.deepEqual(
      orders.nodes.map((o) => o.id),
      [checkout.order.id],
    )
    assert.deepEqual(
      orders.nodes[0]!.items.map((i) => i.quantity),
      [2, 3],
    )
    assert.equal((await stockOf(ctx, shoes)).onHand, 2)

    // Cancelling: nobody else's; the owner's is refunded in full and the stock restored.
    const other = await ctx.tokenFor('customer')
    assert.equal(
      await gqlErrorCode(ctx, CANCEL, { id: checkout.order.id }, as({ bearer: other })),
      'order_not_found',
    )
    const { cancelOrder } = await gqlData<{
      cancelOrder: { status: string; payment: { status: string; refunded: { amount: number } } }
    }>(ctx, CANCEL, { id: checkout.order.id }, as(me))
    assert.equal(cancelOrder.status, 'cancelled')
    assert.equal(cancelOrder.payment.status, 'refunded')
    assert.equal(cancelOrder.payment.refunded.amount, checkout.order.totals.total.amount)
    assert.equal((await stockOf(ctx, shoes)).onHand, 4)
    assert.equal(
      await gqlErrorCode(ctx, CANCEL, { id: checkout.order.id }, as(me)),
      'invalid_order_transition',
    )
  })

  test('a guest cancels a paid order with its X-Order-Token', async () => {
    const variantId = await stockedVariant(ctx, staff, 2)
    const { cart, token } = await createCart()
    await add({ cartToken: token! }, cart.id, variantId, 1)
    const { checkout } = await gqlData<{ checkout: CheckoutData }>(
      ctx,
      CHECKOUT,
      { cartId: cart.id, input: checkoutInput() },
      as({ cartToken: token! }),
    )
    assert.equal(await gqlErrorCode(ctx, CANCEL, { id: checkout.order.id }), 'order_not_found')
    const { cancelOrder } = await gqlData<{ cancelOrder: { status: string } }>(
      ctx,
      CANCEL,
      { id: checkout.order.id },
      as({ orderToken: checkout.orderToken! }),
    )
    assert.equal(cancelOrder.status, 'cancelled')
  })
})

describe(`GraphQL storefront: no N+1 on line products (${engine})`, () => {
  const LINE_PRODUCTS = `query ($id: ID!) {
    cart(id: $id) { items { product { title variants { sku } } } }
  }`

  async function statementsForCart(lines: number) {
    const variants = await Promise.all(
      Array.from({ length: lines }, () => stockedVariant(ctx, staff, 5)),
    )
    const shopper = await cartWith(
      ctx,
      variants.map((variantId) => ({ variantId, quantity: 1 })),
    )
    let data: { cart: { items: { product: { title: string } | null }[] } } | undefined
    const statements = await statementsOf(async () => {
      data = await gqlData(ctx, LINE_PRODUCTS, { id: shopper.cartId }, as(shopper))
    })
    assert.equal(data!.cart.items.length, lines)
    assert.ok(data!.cart.items.every((i) => i.product !== null))
    return statements
  }

  test('a cart of 1 line and one of 5 lines run the same statements', async () => {
    const one = await statementsForCart(1)
    const five = await statementsForCart(5)
    console.log(
      `# cart lines with products on ${engine}: ${one.length} statements for 1 line, ` +
        `${five.length} for 5`,
    )
    assert.equal(
      five.length,
      one.length,
      `1 line:\n${one.join('\n')}\n5 lines:\n${five.join('\n')}`,
    )
    const productReads = five.filter((s) => /from "?catalog"?\."?product\b/.test(s))
    assert.equal(productReads.length, 1, five.join('\n'))
  })

  test("the lines of all of a customer's orders load their products in one read", async () => {
    const customer = await ctx.tokenFor('customer')
    for (let i = 0; i < 2; i++) {
      const variants = await Promise.all([1, 2].map(() => stockedVariant(ctx, staff, 5)))
      const shopper = await cartWith(
        ctx,
        variants.map((variantId) => ({ variantId, quantity: 1 })),
        customer,
      )
      assert.equal((await restCheckout(ctx, shopper)).statusCode, 201)
    }
    let data: { orders: { nodes: { items: { product: { title: string } | null }[] }[] } }
    const statements = await statementsOf(async () => {
      data = await gqlData(
        ctx,
        `query { orders(first: 10) { nodes { items { product { title variants { sku } } } } } }`,
        {},
        { token: customer },
      )
    })
    const items = data!.orders.nodes.flatMap((o) => o.items)
    assert.equal(items.length, 4)
    assert.ok(items.every((i) => i.product !== null))
    const productReads = statements.filter((s) => /from "?catalog"?\."?product\b/.test(s))
    assert.equal(productReads.length, 1, statements.join('\n'))
  })

  test('a draft product is null on its line', async () => {
    const draft = await createProduct(ctx, staff, { variants: [{ price: 900, onHand: 3 }] })
    const shopper = await cartWith(ctx, [{ variantId: draft.variants[0]!.id, quantity: 1 }])
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/admin/products/${draft.id}`,
      headers: { authorization: `Bearer ${staff}` },
      payload: { status: 'draft' },
    })
    assert.equal(res.statusCode, 200, res.body)
    const { cart } = await gqlData<{ cart: { items: { product: unknown }[] } }>(
      ctx,
      LINE_PRODUCTS,
      { id: shopper.cartId },
      as(shopper),
    )
    assert.deepEqual(cart.items, [{ product: null }])
  })
})
