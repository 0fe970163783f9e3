import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { add, product, wishlistOf } from './support.js'

describe(`shared wishlists on ${engine}`, () => {
  let ctx: TestContext
  let staff: string

  before(async () => {
    ctx = await createTestContext()
    staff = await ctx.tokenFor('staff')
  })
  after(async () => ctx.close())

  const share = async (token: string) => {
    const res = await ctx.as(token).post('/v1/me/wishlist/share')
    assert.equal(res.statusCode, 201, res.body)
    return res.json() as { token: string; path: string }
  }

  test('a share link shows the items read-only, without customer data', async () => {
    const customer = await ctx.tokenFor('customer')
    const p = await product(ctx, staff, { title: 'Shared Board', variants: [{ price: 1234 }] })
    const { item } = await add(ctx, customer, { productId: p.id })
    const link = await share(customer)
    assert.match(link.token, /^wls_[A-Za-z0-9_-]{43}$/, '256 random bits')
    assert.equal(link.path, `/v1/wishlists/shared/${link.token}`)
    assert.equal((await wishlistOf(ctx, customer)).shared, true)

    const res = await ctx.as().get(link.path)
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.headers['cache-control'], 'no-store')
    const body = res.json() as { data: Record<string, unknown>[] }
    assert.deepEqual(Object.keys(body).sort(), ['data', 'page'])
    assert.equal(body.data.length, 1)
    assert.equal(body.data[0]!.title, 'Shared Board')
    assert.deepEqual(body.data[0]!.price, { amount: 1234, currency: 'EUR' })
    assert.equal(body.data[0]!.id, undefined, 'no item ids to act on')
    const me = (await ctx.as(customer).get('/v1/me')).json() as { id: string; email: string }
    for (const secret of [me.id, me.email, item.id]) assert.ok(!res.body.includes(secret))

    // Read-only: the link grants nothing on the customer routes.
    const write = await ctx
      .as()
      .post('/v1/me/wishlist/items', { productId: p.id }, { authorization: `Bearer ${link.token}` })
    assert.equal(write.statusCode, 401)
    assert.equal((await ctx.as().post(link.path, {})).statusCode, 404)
  })

  test('only the hash is stored', async () => {
    const customer = await ctx.tokenFor('customer')
    const link = await share(customer)
    const { rows } = await sql<{ share_token_hash: string }>`
      select share_token_hash from wishlists.wishlist where share_token_hash is not null`.execute(
      ctx.database.db,
    )
    assert.ok(rows.length > 0)
    assert.ok(rows.every((r) => /^[0-9a-f]{64}$/.test(r.share_token_hash)))
    assert.ok(rows.every((r) => r.share_token_hash !== link.token))
  })

  test('rotating replaces the link; revoking ends it; unknown tokens are 404', async () => {
    const customer = await ctx.tokenFor('customer')
    await add(ctx, customer, { productId: (await product(ctx, staff)).id })
    const first = await share(customer)
    const second = await share(customer)
    assert.notEqual(first.token, second.token)
    const old = await ctx.as().get(first.path)
    assert.equal(old.statusCode, 404)
    assert.equal(old.json().code, 'shared_wishlist_not_found')
    assert.equal((await ctx.as().get(second.path)).statusCode, 200)

    assert.equal((await ctx.as(customer).delete('/v1/me/wishlist/share')).statusCode, 204)
    assert.equal((await ctx.as().get(second.path)).statusCode, 404)
    assert.equal((await ctx.as(customer).delete('/v1/me/wishlist/share')).statusCode, 204)
    assert.equal((await wishlistOf(ctx, customer)).shared, false)
    assert.equal((await ctx.as().get('/v1/wishlists/shared/wls_nope')).statusCode, 404)
  })
})
