import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { createProduct } from '../helpers/catalog.js'
import { agent, apiKey, assertConforms } from './support.js'

let ctx: TestContext
let key: string

type Feed = {
  products: {
    id: string
    variants: { id: string; price: { amount: number }; availability: { available: boolean } }[]
  }[]
}

before(async () => {
  ctx = await createTestContext()
  key = await apiKey(ctx, ['agentic_checkout'])
})
after(async () => ctx.close())

test('the feed lists published products with stock, validates against the feed schema, and pages by Link', async () => {
  const staff = await ctx.tokenFor('staff')
  const a = await createProduct(ctx, staff, {
    variants: [
      { price: 1200, onHand: 3, options: { size: 'M' } },
      { price: 1300, onHand: 0, options: { size: 'L' } },
    ],
  })
  const b = await createProduct(ctx, staff, { variants: [{ price: 900, onHand: 1 }] })
  const soldOut = await createProduct(ctx, staff, { variants: [{ onHand: 0 }] })
  const draft = await createProduct(ctx, staff, { status: 'draft' })

  const res = await agent(ctx, key).get('/acp/feed')
  assert.equal(res.statusCode, 200, res.body)
  assertConforms('ProductsResponse', res.json(), true)
  const feed = res.json() as Feed
  const ids = feed.products.map((p) => p.id)
  assert.deepEqual(ids.sort(), [a.id, b.id].sort())
  assert.ok(!ids.includes(soldOut.id) && !ids.includes(draft.id))
  const listed = feed.products.find((p) => p.id === a.id)!
  assert.deepEqual(
    listed.variants.map((v) => [v.price.amount, v.availability.available]),
    [
      [1200, true],
      [1300, false],
    ],
  )

  const first = await agent(ctx, key).get('/acp/feed?limit=1')
  assertConforms('ProductsResponse', first.json(), true)
  const link = String(first.headers.link)
  const next = /^<([^>]+)>; rel="next"$/.exec(link)?.[1]
  assert.ok(next, link)
  const second = await agent(ctx, key).get(new URL(next).pathname + new URL(next).search)
  const both = [...(first.json() as Feed).products, ...(second.json() as Feed).products]
  assert.deepEqual(both.map((p) => p.id).sort(), [a.id, b.id].sort())
  assert.equal(second.headers.link, undefined)
})

test('the feed carries an ETag: If-None-Match answers 304; it needs the agentic_checkout key', async () => {
  const res = await agent(ctx, key).get('/acp/feed')
  const tag = res.headers.etag
  assert.ok(typeof tag === 'string' && tag.length > 2)
  assert.match(String(res.headers['cache-control']), /max-age=60/)
  const again = await agent(ctx, key).get('/acp/feed', { headers: { 'if-none-match': tag } })
  assert.equal(again.statusCode, 304)
  const anonymous = await agent(ctx, null).get('/acp/feed')
  assert.equal(anonymous.statusCode, 401)
  assertConforms('Error', anonymous.json())
})
