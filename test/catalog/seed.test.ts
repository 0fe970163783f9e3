import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { demoCategories, demoProducts } from '../../src/modules/catalog/seed/demo-catalog.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
})
after(() => ctx.close())

async function count(query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  return Number((await query.execute(ctx.database.db)).rows[0]!.n)
}

describe(`demo seed on ${engine}`, () => {
  test('loads every demo product with its categories, variants, prices and stock, once', async () => {
    const seeded = await ctx.runtime.modules.catalog.service.seedDemoIfEmpty()
    assert.equal(seeded, demoProducts.length)

    const variants = demoProducts.flatMap((p) => p.variants)
    assert.equal(
      await count(sql`select count(*) as n from catalog.product where status = 'published'`),
      demoProducts.length,
    )
    assert.equal(
      await count(sql`select count(*) as n from catalog.category`),
      demoCategories.length,
    )
    assert.equal(
      await count(sql`select count(*) as n from catalog.product_category`),
      demoProducts.reduce((n, p) => n + p.categorySlugs.length, 0),
    )
    assert.equal(await count(sql`select count(*) as n from catalog.variant`), variants.length)
    assert.equal(
      await count(sql`select count(*) as n from catalog.variant_price`),
      variants.length * 3,
    )
    assert.equal(await count(sql`select count(*) as n from inventory.stock_level`), variants.length)
    assert.equal(
      await count(sql`select count(*) as n from platform.outbox where type = 'product.created'`),
      demoProducts.length,
      'one product.created event per product',
    )

    // One product end to end through the storefront: categories, variant order, prices, stock.
    const demo = demoProducts.find((p) => p.variants.length > 1)!
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/products/${demo.slug}` })
    assert.equal(res.statusCode, 200, res.body)
    const product = res.json() as {
      title: string
      categories: { slug: string }[]
      variants: { sku: string; price: { amount: number; currency: string }; inStock: boolean }[]
    }
    assert.equal(product.title, demo.title)
    assert.deepEqual(product.categories.map((c) => c.slug).sort(), [...demo.categorySlugs].sort())
    assert.deepEqual(
      product.variants.map((v) => [v.sku, v.price.amount, v.inStock]),
      demo.variants.map((v) => [v.sku, v.prices.EUR, v.onHand > 0]),
    )
    const stock = await sql<{ sku: string; on_hand: number }>`
      select v.sku, s.on_hand from catalog.variant v
      join inventory.stock_level s on s.variant_id = v.id
      where v.sku in (${sql.join(demo.variants.map((v) => v.sku))}) order by v.position`.execute(
      ctx.database.db,
    )
    assert.deepEqual(
      stock.rows.map((r) => [r.sku, Number(r.on_hand)]),
      demo.variants.map((v) => [v.sku, v.onHand]),
    )

    assert.equal(await ctx.runtime.modules.catalog.service.seedDemoIfEmpty(), 0, 'not twice')
    assert.equal(await count(sql`select count(*) as n from catalog.product`), demoProducts.length)
  })
})
