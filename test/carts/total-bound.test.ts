import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { isAppError } from '../../src/platform/errors.js'
import { MAX_CART_AMOUNT, computeTotals } from '../../src/modules/carts/carts.totals.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { ADDRESS, cartWith, headersOf, stockedVariant } from '../checkout/support.js'

const tooLarge = (error: unknown) => isAppError(error) && error.code === 'cart_total_too_large'
const NEAR_MAX_PRICE = 1_000_000_000_000 // the largest price a variant can have

describe('cart sums are bounded, never rounded', () => {
  test('100 lines of 1e12 × 99 are refused, not summed past 2^53', () => {
    const lines = Array.from({ length: 100 }, () => ({ unitPrice: NEAR_MAX_PRICE, quantity: 99 }))
    for (const pricesIncludeTax of [true, false])
      assert.throws(
        () => computeTotals(lines, { taxRateBps: 1900, pricesIncludeTax, shipping: 490 }),
        tooLarge,
      )
  })

  test('sums up to the bound are exact, including tax on amounts × rates past 2^53', () => {
    const exclusive = computeTotals([{ unitPrice: 840_000_000_000, quantity: 1 }], {
      taxRateBps: 1900,
      pricesIncludeTax: false,
      shipping: 0,
    })
    assert.equal(exclusive.tax, 159_600_000_000)
    assert.equal(exclusive.total, 999_600_000_000)
    const inclusive = computeTotals([{ unitPrice: 100_000_000_000, quantity: 10 }], {
      taxRateBps: 1900,
      pricesIncludeTax: true,
      shipping: 0,
    })
    assert.equal(inclusive.total, MAX_CART_AMOUNT)
    assert.equal(inclusive.tax, 159_663_865_546) // 1e12 × 19 / 119 = 159 663 865 546.2
  })

  test('tax or shipping that push the total over the bound are refused too', () => {
    const line = [{ unitPrice: 900_000_000_000, quantity: 1 }]
    assert.throws(
      () => computeTotals(line, { taxRateBps: 1900, pricesIncludeTax: false, shipping: 0 }),
      tooLarge,
    )
    assert.throws(
      () =>
        computeTotals([{ unitPrice: MAX_CART_AMOUNT, quantity: 1 }], {
          taxRateBps: 0,
          pricesIncludeTax: true,
          shipping: 1,
        }),
      tooLarge,
    )
  })
})

describe(`adding past the bound on ${engine}`, () => {
  let ctx: TestContext
  before(async () => {
    ctx = await createTestContext({ PRICES_INCLUDE_TAX: 'false' })
  })
  after(() => ctx.close())

  test('an item or quantity that would overflow is 409 cart_total_too_large; the cart stays', async () => {
    const staff = await ctx.tokenFor('staff')
    const big = await stockedVariant(ctx, staff, 500, 900_000_000_000)
    const other = await stockedVariant(ctx, staff, 500, NEAR_MAX_PRICE)
    const shopper = await cartWith(ctx, [{ variantId: big, quantity: 1 }])
    const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      ctx.app.inject({ method, url, headers: headersOf(shopper), ...(payload ? { payload } : {}) })
    const base = `/v1/carts/${shopper.cartId}`

    for (const [url, payload] of [
      [`${base}/items`, { variantId: big, quantity: 1 }],
      [`${base}/items`, { variantId: other, quantity: 99 }],
    ] as const) {
      const res = await call('POST', url, payload)
      assert.equal(res.statusCode, 409, res.body)
      assert.equal((res.json() as { code: string }).code, 'cart_total_too_large')
    }
    const itemId = ((await call('GET', base)).json() as { items: { id: string }[] }).items[0]!.id
    const raised = await call('PATCH', `${base}/items/${itemId}`, { quantity: 99 })
    assert.equal(raised.statusCode, 409, raised.body)
    // Tax added on top (19 % in DE) would pass the bound: the address is refused as well.
    const taxed = await call('PATCH', base, { shippingAddress: ADDRESS })
    assert.equal(taxed.statusCode, 409, taxed.body)

    const cart = (await call('GET', base)).json() as {
      items: { quantity: number }[]
      shippingAddress: unknown
      totals: { total: { amount: number } }
    }
    assert.deepEqual(
      cart.items.map((i) => i.quantity),
      [1],
    )
    assert.equal(cart.shippingAddress, null)
    assert.equal(cart.totals.total.amount, 900_000_000_000)
  })
})
