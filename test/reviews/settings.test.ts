import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { paidCheckout, storefrontRating, writeReview } from './support.js'

describe(`reviews with REVIEWS_AUTO_PUBLISH_VERIFIED on ${engine}`, () => {
  let ctx: TestContext

  before(async () => {
    ctx = await createTestContext({
      REVIEWS_AUTO_PUBLISH_VERIFIED: 'true',
      RATE_LIMIT_REVIEWS: '2/60',
    })
  })
  after(async () => ctx.close())

  test('a verified purchase is published at once and counted; an unverified one waits', async () => {
    const staff = await ctx.tokenFor('staff')
    const product = await createProduct(ctx, staff, { variants: [{ onHand: 5 }] })
    const buyer = await ctx.tokenFor('customer')
    await paidCheckout(ctx, buyer, product.variants[0]!.id)
    const verified = await writeReview(ctx, buyer, product.id, { rating: 5, body: 'Love it' })
    assert.equal(verified.status, 'published')
    const unverified = await writeReview(ctx, await ctx.tokenFor('customer'), product.id, {
      rating: 1,
      body: 'Never had it',
    })
    assert.equal(unverified.status, 'pending')
    assert.deepEqual((await storefrontRating(ctx, product.id)).count, 1)
  })

  test('writing reviews and votes is limited per customer, with the standard headers', async () => {
    const staff = await ctx.tokenFor('staff')
    const customer = await ctx.tokenFor('customer')
    const products = [
      await createProduct(ctx, staff),
      await createProduct(ctx, staff),
      await createProduct(ctx, staff),
    ]
    const statuses: number[] = []
    let last
    for (const product of products) {
      last = await ctx.as(customer).post(`/v1/products/${product.id}/reviews`, {
        rating: 4,
        body: 'Again',
      })
      statuses.push(last.statusCode)
    }
    assert.deepEqual(statuses, [201, 201, 429])
    assert.equal(last!.json().code, 'rate_limited')
    assert.ok(Number(last!.headers['retry-after']) > 0)
    assert.match(String(last!.headers['ratelimit-policy']), /reviews/)
    const other = await ctx.tokenFor('customer')
    const fresh = await ctx.as(other).post(`/v1/products/${products[2]!.id}/reviews`, {
      rating: 4,
      body: 'Mine',
    })
    assert.equal(fresh.statusCode, 201, 'another customer has a quota of their own')
  })
})
