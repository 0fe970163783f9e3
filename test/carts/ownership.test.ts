import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { signedInCustomer } from '../auth/support.js'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { amounts, cartCall, guestCart, type CartAuth, type CartBody } from './support.js'

let ctx: TestContext
let staff: string
let shirt: string
let mug: string

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
  shirt = (await createProduct(ctx, staff, { variants: [{ price: 1000 }] })).variants[0]!.id
  mug = (await createProduct(ctx, staff, { variants: [{ price: 500 }] })).variants[0]!.id
})
after(async () => {
  await ctx.close()
})

const add = (id: string, auth: CartAuth, variantId: string, quantity: number) =>
  cartCall(ctx, 'POST', `/v1/carts/${id}/items`, auth, { variantId, quantity })

async function customerCart(bearer: string): Promise<CartBody> {
  const res = await cartCall(ctx, 'POST', '/v1/carts', { bearer }, {})
  assert.equal(res.statusCode, 201, res.body)
  return res.json() as CartBody
}

describe('who can reach a cart', () => {
  test('a guest cart needs its X-Cart-Token: without it, or with another, it is not found', async () => {
    const { cart, auth } = await guestCart(ctx)
    const other = await guestCart(ctx)
    const url = `/v1/carts/${cart.id}`
    assert.equal((await cartCall(ctx, 'GET', url, auth)).statusCode, 200)
    for (const attempt of [{}, other.auth, { cartToken: 'ct_guess' }]) {
      const res = await cartCall(ctx, 'GET', url, attempt)
      assert.equal(res.statusCode, 404)
      assert.equal(res.json().code, 'cart_not_found')
      assert.equal((await add(cart.id, attempt, shirt, 1)).statusCode, 404)
    }
    const { token } = await signedInCustomer(ctx)
    assert.equal(
      (await cartCall(ctx, 'GET', url, { bearer: token })).statusCode,
      404,
      'being signed in does not open a guest cart',
    )
    const stored = await ctx.database.db
      .selectFrom('carts.cart' as never)
      .select(['token_hash' as never])
      .where('id' as never, '=', cart.id as never)
      .executeTakeFirstOrThrow()
    assert.notEqual(Object.values(stored)[0], cart.token, 'only a hash of the token is stored')
  })

  test("a customer's cart is theirs alone: another customer or a guest gets 404", async () => {
    const alice = await signedInCustomer(ctx)
    const bob = await signedInCustomer(ctx)
    const cart = await customerCart(alice.token)
    assert.equal(cart.token, null, 'a customer cart has no guest token')
    assert.equal((await add(cart.id, { bearer: alice.token }, shirt, 1)).statusCode, 201)
    const url = `/v1/carts/${cart.id}`
    assert.equal((await cartCall(ctx, 'GET', url, { bearer: alice.token })).statusCode, 200)
    for (const auth of [{ bearer: bob.token }, {}]) {
      assert.equal((await cartCall(ctx, 'GET', url, auth)).statusCode, 404)
      assert.equal((await add(cart.id, auth, mug, 1)).statusCode, 404)
      assert.equal((await cartCall(ctx, 'PATCH', url, auth, { email: 'x@y.test' })).statusCode, 404)
    }
  })
})

describe('claiming a guest cart at sign-in', () => {
  test("the guest's lines merge into the customer's open cart; the guest cart closes", async () => {
    const { token } = await signedInCustomer(ctx)
    const mine = await customerCart(token)
    await add(mine.id, { bearer: token }, shirt, 1)
    const guest = await guestCart(ctx)
    await add(guest.cart.id, guest.auth, shirt, 2)
    await add(guest.cart.id, guest.auth, mug, 1)

    const claimUrl = `/v1/carts/${guest.cart.id}/claim`
    const noToken = await cartCall(ctx, 'POST', claimUrl, { bearer: token })
    assert.equal(noToken.statusCode, 404, 'claiming needs the guest token too')
    assert.equal((await cartCall(ctx, 'POST', claimUrl, guest.auth)).statusCode, 401)

    const claimed = await cartCall(ctx, 'POST', claimUrl, { bearer: token, ...guest.auth })
    assert.equal(claimed.statusCode, 200, claimed.body)
    const merged = claimed.json() as CartBody
    assert.equal(merged.id, mine.id)
    assert.deepEqual(
      merged.items.map((i) => [i.variantId, i.quantity]),
      [
        [shirt, 3],
        [mug, 1],
      ],
    )
    assert.equal(amounts(merged).subtotal, 3500)

    const closed = (await cartCall(ctx, 'GET', `/v1/carts/${guest.cart.id}`, guest.auth)).json()
    assert.equal((closed as CartBody).status, 'merged')
    const late = await add(guest.cart.id, guest.auth, mug, 1)
    assert.equal(late.statusCode, 409)
    assert.equal(late.json().code, 'cart_not_open')
  })

  test('with no open cart, the guest cart itself becomes the customer’s', async () => {
    const { token } = await signedInCustomer(ctx)
    const guest = await guestCart(ctx)
    await add(guest.cart.id, guest.auth, mug, 2)
    const claimUrl = `/v1/carts/${guest.cart.id}/claim`
    const claimed = await cartCall(ctx, 'POST', claimUrl, { bearer: token, ...guest.auth })
    assert.equal(claimed.statusCode, 200, claimed.body)
    assert.equal((claimed.json() as CartBody).id, guest.cart.id)
    const url = `/v1/carts/${guest.cart.id}`
    assert.equal((await cartCall(ctx, 'GET', url, { bearer: token })).statusCode, 200)
    assert.equal(
      (await cartCall(ctx, 'GET', url, guest.auth)).statusCode,
      404,
      'the guest token no longer opens it',
    )
    const again = await cartCall(ctx, 'POST', claimUrl, { bearer: token })
    assert.equal(again.statusCode, 200, 'claiming one’s own cart again is harmless')
  })
})

describe('prices are re-read at every read', () => {
  test('a line whose product is unpublished later stays visible but counts for nothing', async () => {
    const product = await createProduct(ctx, staff, { variants: [{ price: 700 }] })
    const { cart, auth } = await guestCart(ctx)
    await add(cart.id, auth, product.variants[0]!.id, 2)
    await add(cart.id, auth, mug, 1)
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/admin/products/${product.id}`,
      headers: { authorization: `Bearer ${staff}` },
      payload: { status: 'draft' },
    })
    assert.equal(res.statusCode, 200, res.body)
    const after = (await cartCall(ctx, 'GET', `/v1/carts/${cart.id}`, auth)).json() as CartBody
    const line = after.items.find((i) => i.variantId === product.variants[0]!.id)!
    assert.equal(line.available, false)
    assert.equal(line.unavailableReason, 'variant_unavailable')
    assert.equal(line.unitPrice, null)
    assert.equal(amounts(after).subtotal, 500)
  })
})
