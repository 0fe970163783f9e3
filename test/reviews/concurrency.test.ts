import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { storefrontRating, writeReview } from './support.js'

describe(`product rating under concurrent moderation on ${engine}`, () => {
  let ctx: TestContext

  before(async () => {
    ctx = await createTestContext()
  })
  after(async () => ctx.close())

  test('20 reviews written, published and flipped in parallel: the rating equals the published set', async () => {
    const staff = await ctx.tokenFor('staff')
    const admin = await ctx.tokenFor('admin')
    const product = await createProduct(ctx, staff)
    const customers = await Promise.all(Array.from({ length: 20 }, () => ctx.tokenFor('customer')))
    const reviews = await Promise.all(
      customers.map((token, i) =>
        writeReview(ctx, token, product.id, { rating: (i % 5) + 1, body: `Review ${i}` }),
      ),
    )
    const patch = (moderator: string, id: string, status: 'published' | 'rejected') =>
      ctx.as(moderator).patch(`/v1/admin/reviews/${id}`, { status })

    // Every review is published by two moderators at once; a third of them are then rejected
    // and published again while others are still being published.
    const first = await Promise.all(
      reviews.flatMap((r) => [patch(staff, r.id, 'published'), patch(admin, r.id, 'published')]),
    )
    assert.ok(first.every((res) => res.statusCode === 200))
    const flips = await Promise.all(
      reviews.map((r, i) =>
        i % 3 === 0
          ? patch(staff, r.id, 'rejected').then(() => patch(admin, r.id, 'published'))
          : i % 3 === 1
            ? patch(admin, r.id, 'rejected')
            : patch(staff, r.id, 'published'),
      ),
    )
    assert.ok(flips.every((res) => res.statusCode === 200))

    const queue = await ctx.as(staff).get(`/v1/admin/reviews?productId=${product.id}&limit=100`)
    const stored = (queue.json() as { data: { rating: number; status: string }[] }).data
    const published = stored.filter((r) => r.status === 'published')
    assert.equal(stored.length, 20)
    assert.equal(published.length, 20 - reviews.filter((_r, i) => i % 3 === 1).length)
    const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 }
    for (const r of published) distribution[String(r.rating) as keyof typeof distribution]++
    const sum = published.reduce((total, r) => total + r.rating, 0)

    const summary = await ctx.database.db
      .selectFrom('reviews.product_rating' as never)
      .selectAll()
      .where('product_id' as never, '=', product.id as never)
      .executeTakeFirstOrThrow()
    const row = summary as Record<string, number>
    assert.equal(Number(row.count), published.length)
    assert.equal(Number(row.sum), sum)
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((s) => Number(row[`stars_${s}`])),
      [1, 2, 3, 4, 5].map((s) => distribution[String(s) as keyof typeof distribution]),
    )
    assert.deepEqual(await storefrontRating(ctx, product.id), {
      average: Math.round((sum / published.length) * 100) / 100,
      count: published.length,
      distribution,
    })
  })
})
