import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { amounts, cartCall, guestCart, type CartAuth, type CartBody } from '../carts/support.js'
import { adminCall, createPromotion, redeemer } from './support.js'

let ctx: TestContext
let staff: string
let shirt: string // 11.90 EUR
let mug: string // 25.00 EUR

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
  shirt = (await createProduct(ctx, staff, { variants: [{ price: 1190 }] })).variants[0]!.id
  mug = (await createProduct(ctx, staff, { variants: [{ price: 2500 }] })).variants[0]!.id
})
after(async () => {
  await ctx.close()
})

type Coupon = {
  code: string
  kind: string | null
  description?: string
  unavailableReason: string | null
}
type CouponCart = Omit<CartBody, 'items'> & {
  coupon: Coupon | null
  items: (CartBody['items'][number] & { lineDiscount: { amount: number } })[]
}

/** A DE guest cart on standard shipping: 2 shirts + 1 mug, subtotal 48.80, shipping 4.90. */
async function fullCart(): Promise<{ id: string; auth: CartAuth }> {
  const { cart, auth } = await guestCart(ctx)
  const url = `/v1/carts/${cart.id}`
  await cartCall(ctx, 'POST', `${url}/items`, auth, { variantId: shirt, quantity: 2 })
  await cartCall(ctx, 'POST', `${url}/items`, auth, { variantId: mug, quantity: 1 })
  const res = await cartCall(ctx, 'PATCH', url, auth, {
    shippingAddress: { country: 'DE' },
    shippingMethodId: 'standard',
  })
  assert.equal(res.statusCode, 200, res.body)
  return { id: cart.id, auth }
}

const apply = (id: string, auth: CartAuth, code: string) =>
  cartCall(ctx, 'POST', `/v1/carts/${id}/coupon`, auth, { code })
const read = async (id: string, auth: CartAuth) =>
  (await cartCall(ctx, 'GET', `/v1/carts/${id}`, auth)).json() as CouponCart

describe('coupons on carts (tax-inclusive prices)', () => {
  test('a percentage code: discount spread over the lines, tax on the discounted lines', async () => {
    const promo = await createPromotion(ctx, staff, {
      kind: 'percentage',
      percentOffBps: 1000,
      description: '10 % off',
    })
    const { id, auth } = await fullCart()
    const res = await apply(id, auth, promo.code.toLowerCase())
    assert.equal(res.statusCode, 200, res.body)
    const cart = res.json() as CouponCart
    assert.deepEqual(cart.coupon, {
      code: promo.code,
      kind: 'percentage',
      description: '10 % off',
      unavailableReason: null,
    })
    // 488 off: 238 + 250; tax 2142 → 342, 2250 → 359.24 → 359, shipping 490 → 78
    assert.deepEqual(amounts(cart), {
      subtotal: 4880,
      discount: 488,
      shipping: 490,
      tax: 342 + 359 + 78,
      total: 4880 - 488 + 490,
    })
    assert.deepEqual(
      cart.items.map((i) => i.lineDiscount.amount),
      [238, 250],
    )
    assert.deepEqual(amounts(await read(id, auth)), amounts(cart), 'the same on the next read')
  })

  test('a fixed amount: largest-remainder allocation, each line taxed on its share', async () => {
    const promo = await createPromotion(ctx, staff, {
      kind: 'fixed_amount',
      amountOff: [{ amount: 500, currency: 'EUR' }],
    })
    const { id, auth } = await fullCart()
    const cart = (await apply(id, auth, promo.code)).json() as CouponCart
    // 243.85 / 256.15 → 244 / 256; tax 2136 → 341, 2244 → 358, shipping 78
    assert.deepEqual(amounts(cart), {
      subtotal: 4880,
      discount: 500,
      shipping: 490,
      tax: 341 + 358 + 78,
      total: 4870,
    })
  })

  test('free shipping sets shipping (and its tax) to 0', async () => {
    const promo = await createPromotion(ctx, staff, { kind: 'free_shipping' })
    const { id, auth } = await fullCart()
    const cart = (await apply(id, auth, promo.code)).json() as CouponCart
    assert.equal(cart.coupon?.kind, 'free_shipping')
    assert.deepEqual(amounts(cart), {
      subtotal: 4880,
      discount: 0,
      shipping: 0,
      tax: 380 + 399,
      total: 4880,
    })
  })

  test('removing the coupon restores the totals; applying another replaces it', async () => {
    const a = await createPromotion(ctx, staff, { kind: 'percentage', percentOffBps: 1000 })
    const b = await createPromotion(ctx, staff, { kind: 'free_shipping' })
    const { id, auth } = await fullCart()
    await apply(id, auth, a.code)
    const replaced = (await apply(id, auth, b.code)).json() as CouponCart
    assert.equal(replaced.coupon?.code, b.code)
    const removed = await cartCall(ctx, 'DELETE', `/v1/carts/${id}/coupon`, auth)
    assert.equal(removed.statusCode, 200, removed.body)
    const cart = removed.json() as CouponCart
    assert.equal(cart.coupon, null)
    assert.deepEqual(amounts(cart), {
      subtotal: 4880,
      discount: 0,
      shipping: 490,
      tax: 380 + 399 + 78,
      total: 5370,
    })
    const twice = await cartCall(ctx, 'DELETE', `/v1/carts/${id}/coupon`, auth)
    assert.equal(twice.statusCode, 200, 'removing no coupon is not an error')
    const stranger = await cartCall(ctx, 'POST', `/v1/carts/${id}/coupon`, {}, { code: a.code })
    assert.equal(stranger.statusCode, 404, 'without the cart token')
    assert.equal(stranger.json().code, 'cart_not_found')
  })

  test('codes that do not apply are refused with a clear code and reason', async () => {
    const { id, auth } = await fullCart()
    const unknown = await apply(id, auth, 'NO-SUCH-CODE')
    assert.equal(unknown.statusCode, 404)
    assert.equal(unknown.json().code, 'coupon_not_found')
    assert.equal((await apply(id, auth, '')).statusCode, 400)

    const refusals: [Record<string, unknown>, number, string, string][] = [
      [{ kind: 'free_shipping', active: false }, 409, 'coupon_not_applicable', 'inactive'],
      [
        { kind: 'free_shipping', startsAt: '2099-01-01T00:00:00Z' },
        409,
        'coupon_not_applicable',
        'not_started',
      ],
      [
        { kind: 'free_shipping', endsAt: '2020-01-01T00:00:00Z' },
        409,
        'coupon_not_applicable',
        'expired',
      ],
      [
        { kind: 'fixed_amount', amountOff: [{ amount: 500, currency: 'USD' }] },
        409,
        'coupon_not_applicable',
        'currency_unsupported',
      ],
      [
        { kind: 'free_shipping', minimumSubtotal: [{ amount: 5000, currency: 'EUR' }] },
        409,
        'coupon_not_applicable',
        'minimum_not_met',
      ],
    ]
    for (const [body, status, code, reason] of refusals) {
      const promo = await createPromotion(ctx, staff, body)
      const res = await apply(id, auth, promo.code)
      assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`)
      assert.deepEqual([res.json().code, res.json().reason], [code, reason])
    }
    const cart = await read(id, auth)
    assert.equal(cart.coupon, null, 'nothing refused was stored')

    const once = await createPromotion(ctx, staff, { kind: 'free_shipping', usageLimit: 1 })
    await redeemer(ctx).redeem({ code: once.code, orderId: `ord_${once.id}` })
    const exhausted = await apply(id, auth, once.code)
    assert.equal(exhausted.statusCode, 409)
    assert.deepEqual(
      [exhausted.json().code, exhausted.json().reason],
      ['coupon_exhausted', 'exhausted'],
    )
  })

  test('minimum subtotal: applies from the minimum; below it later, the cart shows why', async () => {
    const promo = await createPromotion(ctx, staff, {
      kind: 'percentage',
      percentOffBps: 1000,
      minimumSubtotal: [{ amount: 4000, currency: 'EUR' }],
    })
    const { id, auth } = await fullCart() // 48.80
    const applied = (await apply(id, auth, promo.code)).json() as CouponCart
    assert.equal(amounts(applied).discount, 488)
    const mugLine = applied.items.find((i) => i.variantId === mug)!
    const smaller = await cartCall(ctx, 'DELETE', `/v1/carts/${id}/items/${mugLine.id}`, auth)
    assert.equal(smaller.statusCode, 200, smaller.body)
    const cart = smaller.json() as CouponCart
    assert.deepEqual(cart.coupon, {
      code: promo.code,
      kind: 'percentage',
      unavailableReason: 'minimum_not_met',
    })
    assert.equal(amounts(cart).discount, 0)
    assert.equal(amounts(cart).total, 2380 + 490)
  })

  test('a code that expires or is used up after it was applied does not break the cart', async () => {
    const promo = await createPromotion(ctx, staff, { kind: 'percentage', percentOffBps: 2000 })
    const { id, auth } = await fullCart()
    assert.equal((await apply(id, auth, promo.code)).statusCode, 200)

    const url = `/v1/admin/promotions/${promo.id}`
    const past = { startsAt: '2020-01-01T00:00:00Z', endsAt: '2020-02-01T00:00:00Z' }
    assert.equal((await adminCall(ctx, staff, 'PATCH', url, past)).statusCode, 200)
    let cart = await read(id, auth)
    assert.equal(cart.coupon?.unavailableReason, 'expired')
    assert.equal(amounts(cart).discount, 0)

    await adminCall(ctx, staff, 'PATCH', url, { startsAt: null, endsAt: null, usageLimit: 1 })
    assert.equal(amounts(await read(id, auth)).discount, 976, 'valid again')
    await redeemer(ctx).redeem({ code: promo.code, orderId: `ord_${promo.id}` })
    cart = await read(id, auth)
    assert.equal(cart.coupon?.unavailableReason, 'exhausted')
    assert.equal(amounts(cart).discount, 0)
  })

  test('a code deleted after it was applied shows as not_found with no kind', async () => {
    const promo = await createPromotion(ctx, staff, { kind: 'free_shipping' })
    const { id, auth } = await fullCart()
    await apply(id, auth, promo.code)
    await adminCall(ctx, staff, 'DELETE', `/v1/admin/promotions/${promo.id}`)
    const cart = await read(id, auth)
    assert.deepEqual(cart.coupon, { code: promo.code, kind: null, unavailableReason: 'not_found' })
    assert.equal(amounts(cart).shipping, 490)
  })

  test('per-customer limit: counted by email for guests, by customer id when signed in', async () => {
    const promo = await createPromotion(ctx, staff, {
      kind: 'percentage',
      percentOffBps: 1000,
      perCustomerLimit: 1,
    })
    const { id, auth } = await fullCart()
    await cartCall(ctx, 'PATCH', `/v1/carts/${id}`, auth, { email: 'Repeat@Example.test' })
    assert.equal((await apply(id, auth, promo.code)).statusCode, 200)
    await redeemer(ctx).redeem({
      code: promo.code,
      orderId: `ord_a_${promo.id}`,
      email: 'repeat@example.TEST',
    })
    const cart = await read(id, auth)
    assert.equal(cart.coupon?.unavailableReason, 'customer_limit_reached')
    assert.equal(amounts(cart).discount, 0)
    const again = await apply(id, auth, promo.code)
    assert.equal(again.statusCode, 409)
    assert.deepEqual(
      [again.json().code, again.json().reason],
      ['coupon_exhausted', 'customer_limit_reached'],
    )

    const customer = await ctx.tokenFor('customer')
    const created = await cartCall(ctx, 'POST', '/v1/carts', { bearer: customer }, {})
    const own = created.json() as CartBody
    const bearer = { bearer: customer }
    await cartCall(ctx, 'POST', `/v1/carts/${own.id}/items`, bearer, {
      variantId: mug,
      quantity: 1,
    })
    await cartCall(ctx, 'PATCH', `/v1/carts/${own.id}`, bearer, { email: 'repeat@example.test' })
    const mine = await apply(own.id, bearer, promo.code)
    assert.equal(mine.statusCode, 200, 'a signed-in customer is counted by id, not by email')
    assert.equal(amounts(mine.json()).discount, 250)
  })

  test("a guest cart's coupon follows it into the customer's cart at claim", async () => {
    const promo = await createPromotion(ctx, staff, { kind: 'free_shipping' })
    const customer = await ctx.tokenFor('customer')
    const bearer = { bearer: customer }
    const mine = (await cartCall(ctx, 'POST', '/v1/carts', bearer, {})).json() as CartBody
    await cartCall(ctx, 'POST', `/v1/carts/${mine.id}/items`, bearer, {
      variantId: mug,
      quantity: 1,
    })
    const guest = await fullCart()
    await apply(guest.id, guest.auth, promo.code)
    const claimed = await cartCall(ctx, 'POST', `/v1/carts/${guest.id}/claim`, {
      bearer: customer,
      cartToken: guest.auth.cartToken ?? null,
    })
    assert.equal(claimed.statusCode, 200, claimed.body)
    const cart = claimed.json() as CouponCart
    assert.equal(cart.id, mine.id, 'merged into the open cart')
    assert.equal(cart.coupon?.code, promo.code)
  })

  test('the checkout contract: getCart totals and redeem grant the same discount', async () => {
    const promo = await createPromotion(ctx, staff, {
      kind: 'fixed_amount',
      amountOff: [{ amount: 333, currency: 'EUR' }],
    })
    const { id, auth } = await fullCart()
    await apply(id, auth, promo.code)
    const carts = ctx.runtime.modules.carts.service
    const cart = await carts.getCart({ customerId: null, token: auth.cartToken ?? undefined }, id)
    assert.equal(cart.coupon?.code, promo.code)
    const granted = await redeemer(ctx).redeem({
      code: cart.coupon!.code,
      orderId: `ord_${id}`,
      subtotal: cart.totals.subtotal.amount,
      shipping: cart.totals.shipping.amount,
      currency: cart.currency,
    })
    assert.deepEqual(granted, {
      promotionId: promo.id,
      code: promo.code,
      discount: cart.totals.discount.amount,
      freeShipping: false,
    })
    assert.equal(granted.discount, 333)
  })
})
