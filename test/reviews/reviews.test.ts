import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { emittedEvents } from '../helpers/events.js'
import {
  moderate,
  paidCheckout,
  storefrontRating,
  writeReview,
  type RatingBody,
  type ReviewBody,
} from './support.js'

interface Page {
  data: ReviewBody[]
  page: { nextCursor: string | null; hasMore: boolean }
}

describe(`reviews on ${engine}`, () => {
  let ctx: TestContext
  let staff: string
  let admin: string

  before(async () => {
    ctx = await createTestContext()
    staff = await ctx.tokenFor('staff')
    admin = await ctx.tokenFor('admin')
  })
  after(async () => ctx.close())

  test('a new review is pending, hidden, and unrated until staff publish it', async () => {
    const product = await createProduct(ctx, staff)
    const customer = await ctx.tokenFor('customer')
    const review = await writeReview(ctx, customer, product.id, {
      rating: 4,
      title: '  Solid  ',
      body: ' Works well.\r\nWould buy again. ',
    })
    assert.equal(review.status, 'pending')
    assert.equal(review.title, 'Solid')
    assert.equal(review.body, 'Works well.\nWould buy again.')
    assert.equal(review.verifiedPurchase, false)
    assert.equal(review.helpfulCount, 0)
    const list = (await ctx.as().get(`/v1/products/${product.id}/reviews`)).json() as Page
    assert.deepEqual(list.data, [])
    assert.deepEqual(await storefrontRating(ctx, product.id), {
      average: null,
      count: 0,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
    })

    await moderate(ctx, staff, review.id, 'published')
    const published = (await ctx.as().get(`/v1/products/${product.id}/reviews`)).json() as Page
    assert.deepEqual(
      published.data.map((r) => [r.id, r.status]),
      [[review.id, 'published']],
    )
    // Read right after the write, through the storefront cache: already fresh.
    assert.deepEqual(await storefrontRating(ctx, product.id), {
      average: 4,
      count: 1,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 },
    })
    const events = await emittedEvents(ctx, review.id)
    assert.deepEqual(
      events.map((e) => e.type),
      ['review.created', 'review.published'],
    )
    assert.equal(events[0]!.payload.status, 'pending')
    const rating = await emittedEvents(ctx, product.id)
    const changed = rating.filter((e) => e.type === 'product.rating_changed')
    assert.deepEqual(changed.at(-1)!.payload, {
      productId: product.id,
      average: 4,
      count: 1,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 },
      version: 1,
    })
  })

  test('rejecting a published review takes it out of the list and the rating; the product version stays', async () => {
    const product = await createProduct(ctx, staff)
    const a = await writeReview(ctx, await ctx.tokenFor('customer'), product.id, {
      rating: 5,
      body: 'Great',
    })
    const b = await writeReview(ctx, await ctx.tokenFor('customer'), product.id, {
      rating: 2,
      body: 'Meh',
    })
    await moderate(ctx, staff, a.id, 'published')
    await moderate(ctx, staff, b.id, 'published')
    assert.deepEqual(await storefrontRating(ctx, product.id), {
      average: 3.5,
      count: 2,
      distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 },
    })
    await moderate(ctx, staff, a.id, 'rejected')
    const rating = await storefrontRating(ctx, product.id)
    assert.deepEqual(rating, {
      average: 2,
      count: 1,
      distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 0 },
    })
    const list = (await ctx.as().get(`/v1/products/${product.id}/reviews`)).json() as Page
    assert.deepEqual(
      list.data.map((r) => r.id),
      [b.id],
    )
    const adminRead = await ctx.as(staff).get(`/v1/admin/products/${product.id}`)
    const adminProduct = adminRead.json() as { version: number; rating: RatingBody }
    assert.equal(adminProduct.version, product.version, 'a review never bumps the product version')
    assert.deepEqual(adminProduct.rating, rating)
    const patched = await ctx
      .as(staff)
      .patch(
        `/v1/admin/products/${product.id}`,
        { title: 'Renamed' },
        { 'if-match': `"v${product.version}"` },
      )
    assert.equal(patched.statusCode, 200, patched.body)
  })

  test('the catalog keeps the newest rating: an older or repeated event changes nothing', async () => {
    const product = await createProduct(ctx, staff)
    const review = await writeReview(ctx, await ctx.tokenFor('customer'), product.id, {
      rating: 5,
      body: 'Top',
    })
    await moderate(ctx, staff, review.id, 'published')
    const current = await storefrontRating(ctx, product.id)
    const catalog = ctx.runtime.modules.catalog.service
    const stale = { productId: product.id, average: 1, count: 9, version: 0 }
    const distribution = { '1': 9, '2': 0, '3': 0, '4': 0, '5': 0 }
    await catalog.applyRatingChanged({ ...stale, distribution })
    await catalog.applyRatingChanged({ ...stale, distribution, version: 1 })
    const admin = (await ctx.as(staff).get(`/v1/admin/products/${product.id}`)).json() as {
      rating: RatingBody
    }
    assert.deepEqual(admin.rating, current)
  })

  test('a second review of the same product by the same customer is 409 review_exists', async () => {
    const product = await createProduct(ctx, staff)
    const customer = await ctx.tokenFor('customer')
    await writeReview(ctx, customer, product.id, { rating: 3, body: 'Fine' })
    const again = await ctx
      .as(customer)
      .post(`/v1/products/${product.id}/reviews`, { rating: 5, body: 'Changed my mind' })
    assert.equal(again.statusCode, 409)
    assert.equal(again.json().code, 'review_exists')
  })

  test('verifiedPurchase is true after a paid checkout of the product, false for another customer', async () => {
    const product = await createProduct(ctx, staff, { variants: [{ onHand: 5 }] })
    const buyer = await ctx.tokenFor('customer')
    await paidCheckout(ctx, buyer, product.variants[0]!.id)
    const bought = await writeReview(ctx, buyer, product.id, { rating: 5, body: 'Bought it' })
    assert.equal(bought.verifiedPurchase, true)
    assert.equal(bought.status, 'pending', 'auto-publish is off by default')
    const other = await writeReview(ctx, await ctx.tokenFor('customer'), product.id, {
      rating: 1,
      body: 'Never bought it',
    })
    assert.equal(other.verifiedPurchase, false)
  })

  test('sorting, the rating filter and pagination walk the published reviews exactly once', async () => {
    const product = await createProduct(ctx, staff)
    const ratings = [3, 5, 1, 5, 4, 2, 5]
    const ids: string[] = []
    for (const rating of ratings) {
      const review = await writeReview(ctx, await ctx.tokenFor('customer'), product.id, {
        rating,
        body: `Rated ${rating}`,
      })
      await moderate(ctx, staff, review.id, 'published')
      ids.push(review.id)
    }
    const walk = async (query: string) => {
      const seen: ReviewBody[] = []
      let cursor: string | null = null
      do {
        const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
        const res = await ctx.as().get(`/v1/products/${product.id}/reviews?limit=2${query}${after}`)
        assert.equal(res.statusCode, 200, res.body)
        const page = res.json() as Page
        assert.ok(page.data.length <= 2)
        seen.push(...page.data)
        cursor = page.page.nextCursor
      } while (cursor)
      return seen
    }
    const newest = await walk('')
    assert.deepEqual(
      newest.map((r) => r.id),
      [...ids].reverse(),
    )
    const best = await walk('&sort=-rating')
    assert.deepEqual(
      best.map((r) => r.rating),
      [5, 5, 5, 4, 3, 2, 1],
    )
    assert.deepEqual(
      best.slice(0, 3).map((r) => r.id),
      [ids[6], ids[3], ids[1]],
      'ties newest first',
    )
    const worst = await walk('&sort=rating')
    assert.deepEqual(
      worst.map((r) => r.rating),
      [1, 2, 3, 4, 5, 5, 5],
    )
    const fives = await walk('&rating=5')
    assert.deepEqual(
      fives.map((r) => r.id),
      [ids[6], ids[3], ids[1]],
    )
  })

  test('bad input is a 400 problem and writes nothing', async () => {
    const product = await createProduct(ctx, staff)
    const customer = await ctx.tokenFor('customer')
    const url = `/v1/products/${product.id}/reviews`
    const bad = [
      { rating: 0, body: 'x' },
      { rating: 6, body: 'x' },
      { rating: 3.5, body: 'x' },
      { rating: 3, body: '' },
      { rating: 3, body: '   ' },
      { rating: 3, body: 'x'.repeat(5001) },
      { rating: 3, title: 't'.repeat(121), body: 'x' },
      { rating: 3, body: 'bell \u0007 inside' },
      { rating: 3, title: 'two\nlines', body: 'x' },
      { rating: 3, body: 'x', html: true },
    ]
    for (const body of bad) {
      const res = await ctx.as(customer).post(url, body)
      assert.equal(res.statusCode, 400, JSON.stringify(body))
      assert.ok(Array.isArray(res.json().errors), res.body)
    }
    for (const query of ['?sort=title', '?sort=createdAt', '?rating=6', '?rating=0', '?stars=5']) {
      const res = await ctx.as().get(`${url}${query}`)
      assert.equal(res.statusCode, 400, query)
    }
    const invalidCursor = await ctx.as().get(`${url}?cursor=bogus`)
    assert.equal(invalidCursor.statusCode, 400)
    const ok = await writeReview(ctx, customer, product.id, {
      rating: 3,
      body: '<script>alert(1)</script> tabs\tand\nlines are fine',
    })
    assert.equal(
      ok.body,
      '<script>alert(1)</script> tabs\tand\nlines are fine',
      'stored as plain text',
    )
    const draft = await createProduct(ctx, staff, { status: 'draft' })
    const unpublished = await ctx
      .as(customer)
      .post(`/v1/products/${draft.id}/reviews`, { rating: 3, body: 'x' })
    assert.equal(unpublished.statusCode, 404)
    assert.equal(unpublished.json().code, 'product_not_found')
  })

  test('sign-in is required to write; only reviews:moderate holders moderate', async () => {
    const product = await createProduct(ctx, staff)
    const anonymous = await ctx.as().post(`/v1/products/${product.id}/reviews`, {
      rating: 3,
      body: 'x',
    })
    assert.equal(anonymous.statusCode, 401)
    const customer = await ctx.tokenFor('customer')
    const review = await writeReview(ctx, customer, product.id, { rating: 3, body: 'x' })
    const asCustomer = await ctx.as(customer).patch(`/v1/admin/reviews/${review.id}`, {
      status: 'published',
    })
    assert.equal(asCustomer.statusCode, 403)
    assert.equal((await ctx.as(customer).get('/v1/admin/reviews')).statusCode, 403)
    assert.equal((await ctx.as().get('/v1/admin/reviews')).statusCode, 401)
    const queue = await ctx
      .as(admin)
      .get(`/v1/admin/reviews?status=pending&productId=${product.id}`)
    assert.equal(queue.statusCode, 200)
    assert.deepEqual(
      (queue.json() as Page).data.map((r) => r.id),
      [review.id],
    )
    await moderate(ctx, admin, review.id, 'rejected')
    const rejected = await ctx
      .as(staff)
      .get(`/v1/admin/reviews?status=rejected&productId=${product.id}`)
    assert.deepEqual(
      (rejected.json() as Page).data.map((r) => [r.id, r.status]),
      [[review.id, 'rejected']],
    )
    const missing = await ctx
      .as(staff)
      .patch('/v1/admin/reviews/rev_missing', { status: 'published' })
    assert.equal(missing.statusCode, 404)
    assert.equal(missing.json().code, 'review_not_found')
  })

  test('a customer marks a published review helpful once; again changes nothing', async () => {
    const product = await createProduct(ctx, staff)
    const review = await writeReview(ctx, await ctx.tokenFor('customer'), product.id, {
      rating: 4,
      body: 'Useful',
    })
    const voter = await ctx.tokenFor('customer')
    const pending = await ctx.as(voter).post(`/v1/reviews/${review.id}/helpful`)
    assert.equal(pending.statusCode, 404, 'a pending review cannot be voted on')
    await moderate(ctx, staff, review.id, 'published')
    const first = await ctx.as(voter).post(`/v1/reviews/${review.id}/helpful`)
    assert.equal(first.statusCode, 200, first.body)
    assert.equal(first.json().helpfulCount, 1)
    const again = await ctx.as(voter).post(`/v1/reviews/${review.id}/helpful`)
    assert.equal(again.json().helpfulCount, 1)
    const other = await ctx
      .as(await ctx.tokenFor('customer'))
      .post(`/v1/reviews/${review.id}/helpful`)
    assert.equal(other.json().helpfulCount, 2)
    assert.equal((await ctx.as().post(`/v1/reviews/${review.id}/helpful`)).statusCode, 401)
    const list = (await ctx.as().get(`/v1/products/${product.id}/reviews`)).json() as Page
    assert.equal(list.data[0]!.helpfulCount, 2)
  })

  test('the rating is on storefront lists and GraphQL, fresh after a moderation', async () => {
    const product = await createProduct(ctx, staff)
    const query = `{ product(id: "${product.id}") { rating { average count distribution } } }`
    const gql = async () => {
      const res = await ctx.as().post('/graphql', { query })
      assert.equal(res.statusCode, 200, res.body)
      return res.json().data.product.rating as Record<string, unknown>
    }
    assert.deepEqual(await gql(), { average: null, count: 0, distribution: [0, 0, 0, 0, 0] })
    const listed = async () => {
      const res = await ctx.as().get(`/v1/products?limit=100`)
      const item = (res.json() as { data: { id: string; rating: RatingBody }[] }).data.find(
        (p) => p.id === product.id,
      )
      return item?.rating
    }
    assert.equal((await listed())?.count, 0)
    const review = await writeReview(ctx, await ctx.tokenFor('customer'), product.id, {
      rating: 3,
      body: 'Okay',
    })
    await moderate(ctx, staff, review.id, 'published')
    assert.deepEqual(await gql(), { average: 3, count: 1, distribution: [0, 0, 1, 0, 0] })
    assert.deepEqual(await listed(), {
      average: 3,
      count: 1,
      distribution: { '1': 0, '2': 0, '3': 1, '4': 0, '5': 0 },
    })
  })
})
