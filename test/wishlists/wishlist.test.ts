import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { login, newCredentials, register } from '../auth/support.js'
import { add, product, setPrice, setStock, wishlistOf, type Item } from './support.js'

describe(`wishlists on ${engine}`, () => {
  let ctx: TestContext
  let staff: string

  before(async () => {
    ctx = await createTestContext()
    staff = await ctx.tokenFor('staff')
  })
  after(async () => ctx.close())

  test('add, list and remove; a new wishlist is empty with alerts off', async () => {
    const customer = await ctx.tokenFor('customer')
    const empty = await wishlistOf(ctx, customer)
    assert.deepEqual(empty, {
      notifyBackInStock: false,
      notifyPriceDrop: false,
      shared: false,
      data: [],
      page: { nextCursor: null, hasMore: false },
    })
    const p = await product(ctx, staff, { title: 'Oak Board', variants: [{ price: 4500 }] })
    const added = await add(ctx, customer, { productId: p.id })
    assert.equal(added.status, 201)
    assert.match(added.item.id, /^wli_/)
    assert.equal(added.item.title, 'Oak Board')
    assert.deepEqual(added.item.price, { amount: 4500, currency: 'EUR' })
    const listed = await wishlistOf(ctx, customer)
    assert.deepEqual(
      listed.data.map((i) => i.id),
      [added.item.id],
    )
    const removed = await ctx.as(customer).delete(`/v1/me/wishlist/items/${added.item.id}`)
    assert.equal(removed.statusCode, 204)
    assert.deepEqual((await wishlistOf(ctx, customer)).data, [])
    const again = await ctx.as(customer).delete(`/v1/me/wishlist/items/${added.item.id}`)
    assert.equal(again.statusCode, 404)
    assert.equal(again.json().code, 'wishlist_item_not_found')
  })

  test('items show the current price and stock, and follow the catalog', async () => {
    const customer = await ctx.tokenFor('customer')
    const p = await product(ctx, staff, { variants: [{ price: 2000, onHand: 3 }] })
    const [variantId] = p.variants as [string]
    await add(ctx, customer, { productId: p.id, variantId })
    const before = (await wishlistOf(ctx, customer)).data[0]!
    assert.deepEqual(before.price, { amount: 2000, currency: 'EUR' })
    assert.equal(before.inStock, true)
    assert.equal(before.available, true)
    await setPrice(ctx, staff, p.id, variantId, 1500)
    await setStock(ctx, staff, variantId, 0)
    const after = (await wishlistOf(ctx, customer)).data[0]!
    assert.deepEqual(after.price, { amount: 1500, currency: 'EUR' })
    assert.equal(after.inStock, false)
  })

  test('a product as a whole shows its lowest price and whether any variant is in stock', async () => {
    const customer = await ctx.tokenFor('customer')
    const p = await product(ctx, staff, {
      variants: [
        { price: 3000, onHand: 0, options: { size: 'M' } },
        { price: 2500, onHand: 2, options: { size: 'L' } },
      ],
    })
    const { item } = await add(ctx, customer, { productId: p.id })
    assert.equal(item.variantId, null)
    assert.deepEqual(item.price, { amount: 2500, currency: 'EUR' })
    assert.equal(item.inStock, true)
    await setStock(ctx, staff, p.variants[1]!, 0)
    assert.equal((await wishlistOf(ctx, customer)).data[0]!.inStock, false)
  })

  test('adding the same product again returns the same item with 200', async () => {
    const customer = await ctx.tokenFor('customer')
    const p = await product(ctx, staff)
    const first = await add(ctx, customer, { productId: p.id })
    const second = await add(ctx, customer, { productId: p.id })
    assert.equal(first.status, 201)
    assert.equal(second.status, 200)
    assert.equal(second.item.id, first.item.id)
    assert.equal((await wishlistOf(ctx, customer)).data.length, 1)
  })

  test('20 parallel adds of the same product make one item, and every reply names it', async () => {
    const customer = await ctx.tokenFor('customer')
    const p = await product(ctx, staff)
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        ctx.as(customer).post('/v1/me/wishlist/items', { productId: p.id }),
      ),
    )
    const statuses = replies.map((r) => r.statusCode).sort()
    assert.deepEqual(statuses, [200, ...Array<number>(18).fill(200), 201].sort())
    const ids = new Set(replies.map((r) => (r.json() as Item).id))
    assert.equal(ids.size, 1)
    const listed = await wishlistOf(ctx, customer)
    assert.deepEqual(
      listed.data.map((i) => i.id),
      [...ids],
    )
  })

  test('the product as a whole and each of its variants are distinct items', async () => {
    const customer = await ctx.tokenFor('customer')
    const p = await product(ctx, staff, {
      variants: [{ options: { size: 'S' } }, { options: { size: 'M' } }],
    })
    const whole = await add(ctx, customer, { productId: p.id })
    const small = await add(ctx, customer, { productId: p.id, variantId: p.variants[0]! })
    const medium = await add(ctx, customer, { productId: p.id, variantId: p.variants[1]! })
    const smallAgain = await add(ctx, customer, { productId: p.id, variantId: p.variants[0]! })
    assert.deepEqual(
      [whole.status, small.status, medium.status, smallAgain.status],
      [201, 201, 201, 200],
    )
    assert.equal(new Set([whole.item.id, small.item.id, medium.item.id]).size, 3)
    assert.equal(smallAgain.item.id, small.item.id)
    assert.equal((await wishlistOf(ctx, customer)).data.length, 3)
  })

  test("another customer's item is 404, and theirs stays", async () => {
    const owner = await ctx.tokenFor('customer')
    const other = await ctx.tokenFor('customer')
    const p = await product(ctx, staff)
    const { item } = await add(ctx, owner, { productId: p.id })
    await add(ctx, other, { productId: p.id })
    const res = await ctx.as(other).delete(`/v1/me/wishlist/items/${item.id}`)
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().code, 'wishlist_item_not_found')
    assert.equal((await wishlistOf(ctx, owner)).data.length, 1)
  })

  test('signed out: 401 on every customer route', async () => {
    const anonymous = ctx.as()
    const calls = [
      await anonymous.get('/v1/me/wishlist'),
      await anonymous.patch('/v1/me/wishlist', { notifyPriceDrop: true }),
      await anonymous.post('/v1/me/wishlist/items', { productId: 'prod_x' }),
      await anonymous.delete('/v1/me/wishlist/items/wli_x'),
      await anonymous.post('/v1/me/wishlist/share'),
      await anonymous.delete('/v1/me/wishlist/share'),
    ]
    assert.deepEqual(
      calls.map((r) => r.statusCode),
      [401, 401, 401, 401, 401, 401],
    )
  })

  test('bad input: 400 with errors; unknown or unpublished products and foreign variants 404', async () => {
    const customer = await ctx.tokenFor('customer')
    const c = ctx.as(customer)
    const bodies = [{}, { productId: '' }, { productId: 'p'.repeat(65) }, { variantId: 'v' }]
    for (const body of bodies) {
      const res = await c.post('/v1/me/wishlist/items', body)
      assert.equal(res.statusCode, 400, JSON.stringify(body))
      assert.ok(Array.isArray(res.json().errors))
    }
    assert.equal((await c.patch('/v1/me/wishlist', {})).statusCode, 400)
    assert.equal((await c.patch('/v1/me/wishlist', { notifyPriceDrop: 'yes' })).statusCode, 400)
    assert.equal((await c.get('/v1/me/wishlist?limit=0')).statusCode, 400)
    assert.equal((await c.get('/v1/me/wishlist?cursor=nonsense')).statusCode, 400)
    const unknown = await c.post('/v1/me/wishlist/items', { productId: 'prod_unknown' })
    assert.equal(unknown.statusCode, 404)
    assert.equal(unknown.json().code, 'product_not_found')
    const draft = await product(ctx, staff, { status: 'draft' })
    assert.equal((await c.post('/v1/me/wishlist/items', { productId: draft.id })).statusCode, 404)
    const p = await product(ctx, staff)
    const foreign = await product(ctx, staff)
    const res = await c.post('/v1/me/wishlist/items', {
      productId: p.id,
      variantId: foreign.variants[0],
    })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().code, 'variant_not_found')
    assert.deepEqual((await wishlistOf(ctx, customer)).data, [], 'nothing half-written')
  })

  test('an unpublished or deleted product stays listed as unavailable', async () => {
    const customer = await ctx.tokenFor('customer')
    const hidden = await product(ctx, staff, { title: 'Soon hidden' })
    const deleted = await product(ctx, staff, { title: 'Soon deleted' })
    const kept = await product(ctx, staff, { title: 'Kept' })
    for (const p of [hidden, deleted, kept]) await add(ctx, customer, { productId: p.id })
    const unpublish = await ctx
      .as(staff)
      .patch(`/v1/admin/products/${hidden.id}`, { status: 'draft' })
    assert.equal(unpublish.statusCode, 200, unpublish.body)
    assert.equal((await ctx.as(staff).delete(`/v1/admin/products/${deleted.id}`)).statusCode, 204)
    await ctx.runtime.relay.drain()
    const items = (await wishlistOf(ctx, customer)).data
    const byProduct = new Map(items.map((i) => [i.productId, i]))
    assert.equal(items.length, 3)
    for (const gone of [hidden.id, deleted.id]) {
      assert.deepEqual(
        { ...byProduct.get(gone)!, id: '', addedAt: '' },
        {
          id: '',
          addedAt: '',
          productId: gone,
          variantId: null,
          available: false,
          title: null,
          slug: null,
          variantTitle: null,
          sku: null,
          price: null,
          inStock: false,
        },
      )
    }
    assert.equal(byProduct.get(kept.id)!.available, true)
    const removable = byProduct.get(deleted.id)!.id
    assert.equal(
      (await ctx.as(customer).delete(`/v1/me/wishlist/items/${removable}`)).statusCode,
      204,
    )
  })

  test('pages: newest first, with a cursor', async () => {
    const customer = await ctx.tokenFor('customer')
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const p = await product(ctx, staff)
      ids.push((await add(ctx, customer, { productId: p.id })).item.id)
    }
    const first = await wishlistOf(ctx, customer, '?limit=2')
    assert.deepEqual(
      first.data.map((i) => i.id),
      [ids[2], ids[1]],
    )
    assert.equal(first.page.hasMore, true)
    const second = await wishlistOf(
      ctx,
      customer,
      `?limit=2&cursor=${encodeURIComponent(first.page.nextCursor!)}`,
    )
    assert.deepEqual(
      second.data.map((i) => i.id),
      [ids[0]],
    )
    assert.equal(second.page.hasMore, false)
  })

  test('a deleted account takes its wishlist with it', async () => {
    const credentials = newCredentials('wishlist')
    assert.equal((await register(ctx, { ...credentials })).statusCode, 201)
    const signedIn = await login(ctx, { email: credentials.email, password: credentials.password })
    const { accessToken: customer, user } = signedIn.json() as {
      accessToken: string
      user: { id: string }
    }
    const p = await product(ctx, staff)
    await add(ctx, customer, { productId: p.id })
    const count = async () => {
      const { rows } = await sql<{ n: string }>`
        select count(*) as n from wishlists.wishlist where customer_id = ${user.id}`.execute(
        ctx.database.db,
      )
      return Number(rows[0]!.n)
    }
    assert.equal(await count(), 1)
    const res = await ctx.as(customer).post('/v1/me/delete', { password: credentials.password })
    assert.equal(res.statusCode, 204, res.body)
    await ctx.runtime.relay.drain()
    assert.equal(await count(), 0)
  })
})
