import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { amounts, cartCall, guestCart, type CartBody } from './support.js'

let ctx: TestContext

before(async () => {
  ctx = await createTestContext({ PRICES_INCLUDE_TAX: 'false' })
})
after(async () => {
  await ctx.close()
})

test('with PRICES_INCLUDE_TAX=false, tax is added on top, rounded per line', async () => {
  const staff = await ctx.tokenFor('staff')
  const [a, b] = await Promise.all([
    createProduct(ctx, staff, { variants: [{ price: 1190 }] }),
    createProduct(ctx, staff, { variants: [{ price: 250 }] }),
  ])
  const { cart, auth } = await guestCart(ctx)
  const url = `/v1/carts/${cart.id}`
  await cartCall(ctx, 'POST', `${url}/items`, auth, { variantId: a.variants[0]!.id, quantity: 1 })
  await cartCall(ctx, 'POST', `${url}/items`, auth, { variantId: b.variants[0]!.id, quantity: 1 })
  const res = await cartCall(ctx, 'PATCH', url, auth, {
    shippingAddress: { country: 'DE' },
    shippingMethodId: 'standard',
  })
  const body = res.json() as CartBody
  assert.equal(body.taxInfo.pricesIncludeTax, false)
  // 1190 × 19 % = 226.1 → 226; 250 × 19 % = 47.5 → 48; shipping 490 × 19 % = 93.1 → 93
  assert.deepEqual(amounts(body), {
    subtotal: 1440,
    discount: 0,
    shipping: 490,
    tax: 367,
    total: 1440 + 490 + 367,
  })
})
