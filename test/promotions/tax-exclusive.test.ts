import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { amounts, cartCall, guestCart, type CartBody } from '../carts/support.js'
import { createPromotion } from './support.js'

let ctx: TestContext

before(async () => {
  ctx = await createTestContext({ PRICES_INCLUDE_TAX: 'false' })
})
after(async () => {
  await ctx.close()
})

test('with PRICES_INCLUDE_TAX=false, tax is added on top of the discounted lines', async () => {
  const staff = await ctx.tokenFor('staff')
  const [a, b] = await Promise.all([
    createProduct(ctx, staff, { variants: [{ price: 1190 }] }),
    createProduct(ctx, staff, { variants: [{ price: 2500 }] }),
  ])
  const percent = await createPromotion(ctx, staff, { kind: 'percentage', percentOffBps: 1000 })
  const free = await createPromotion(ctx, staff, { kind: 'free_shipping' })
  const { cart, auth } = await guestCart(ctx)
  const url = `/v1/carts/${cart.id}`
  await cartCall(ctx, 'POST', `${url}/items`, auth, { variantId: a.variants[0]!.id, quantity: 2 })
  await cartCall(ctx, 'POST', `${url}/items`, auth, { variantId: b.variants[0]!.id, quantity: 1 })
  await cartCall(ctx, 'PATCH', url, auth, {
    shippingAddress: { country: 'DE' },
    shippingMethodId: 'standard',
  })

  const discounted = await cartCall(ctx, 'POST', `${url}/coupon`, auth, { code: percent.code })
  assert.equal(discounted.statusCode, 200, discounted.body)
  // 488 off (238 + 250): 2142 × 19 % = 406.98 → 407; 2250 × 19 % = 427.5 → 428; 490 → 93
  assert.deepEqual(amounts(discounted.json() as CartBody), {
    subtotal: 4880,
    discount: 488,
    shipping: 490,
    tax: 407 + 428 + 93,
    total: 4880 - 488 + 490 + 928,
  })

  const shipped = await cartCall(ctx, 'POST', `${url}/coupon`, auth, { code: free.code })
  // 2380 × 19 % = 452.2 → 452; 2500 × 19 % = 475; no shipping, no shipping tax
  assert.deepEqual(amounts(shipped.json() as CartBody), {
    subtotal: 4880,
    discount: 0,
    shipping: 0,
    tax: 452 + 475,
    total: 4880 + 927,
  })
})
