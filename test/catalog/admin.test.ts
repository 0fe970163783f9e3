import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { emittedEvents } from '../helpers/events.js'
import {
  createCategory,
  createProduct,
  productBody,
  type AdminProduct,
} from '../helpers/catalog.js'

let ctx: TestContext
let staff: string
let auth: { authorization: string }

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
  auth = { authorization: `Bearer ${staff}` }
})
after(() => ctx.close())

async function outboxTypes(aggregateId: string): Promise<string[]> {
  return (await emittedEvents(ctx, aggregateId)).map((e) => e.type)
}

describe('access', () => {
  test('admin routes need a token (401 with WWW-Authenticate) and a permission (403)', async () => {
    const anonymous = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/products',
      payload: productBody(),
    })
    assert.equal(anonymous.statusCode, 401)
    assert.match(String(anonymous.headers['www-authenticate']), /^Bearer/)
    const customer = await ctx.tokenFor('customer')
    const forbidden = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/products',
      headers: { authorization: `Bearer ${customer}` },
      payload: productBody(),
    })
    assert.equal(forbidden.statusCode, 403)
    assert.equal((forbidden.json() as { code: string }).code, 'forbidden')
  })
})

describe('products', () => {
  test('create returns the admin view with stock figures and records product.created', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/products',
      headers: auth,
      payload: productBody({ variants: [{ onHand: 7, price: 1999 }] }),
    })
    assert.equal(res.statusCode, 201)
    const product = res.json() as AdminProduct
    assert.match(product.id, /^prod_/)
    assert.match(product.variants[0]!.id, /^var_/)
    assert.deepEqual(
      {
        onHand: product.variants[0]!.onHand,
        reserved: product.variants[0]!.reserved,
        available: product.variants[0]!.available,
      },
      { onHand: 7, reserved: 0, available: 7 },
    )
    assert.deepEqual(product.variants[0]!.price, { amount: 1999, currency: 'EUR' })
    assert.equal(res.headers.etag, `"v${product.version}"`)
    assert.deepEqual(await outboxTypes(product.id), ['product.created'])
  })

  test('a duplicate slug or SKU is a 409 and writes nothing', async () => {
    const first = await createProduct(ctx, staff)
    const dupSlug = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/products',
      headers: auth,
      payload: productBody({ slug: first.slug }),
    })
    assert.equal(dupSlug.statusCode, 409)
    assert.equal((dupSlug.json() as { code: string }).code, 'slug_taken')
    const body = productBody({ variants: [{ sku: first.variants[0]!.sku }] })
    const dupSku = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/products',
      headers: auth,
      payload: body,
    })
    assert.equal(dupSku.statusCode, 409)
    const problem = dupSku.json() as { code: string; errors: { path: string }[] }
    assert.equal(problem.code, 'sku_taken')
    assert.equal(problem.errors[0]!.path, '/body/variants/0/sku')
    const leftovers = await sql<{
      n: number
    }>`select count(*)::int as n from catalog.product where title = ${body.title}`.execute(
      ctx.database.db,
    )
    assert.equal(leftovers.rows[0]!.n, 0)
  })

  test('a derived slug gets a suffix instead of a conflict', async () => {
    const title = `Same Title ${uniqueSuffix()}`
    const a = await createProduct(ctx, staff, { title })
    const b = await createProduct(ctx, staff, { title })
    assert.notEqual(a.slug, b.slug)
    assert.equal(b.slug, `${a.slug}-2`)
  })

  test('PATCH honours If-Match: the current ETag updates, a stale one is 412', async () => {
    const product = await createProduct(ctx, staff)
    const etag = `"v${product.version}"`
    const ok = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/admin/products/${product.id}`,
      headers: { ...auth, 'if-match': etag },
      payload: { title: 'Renamed' },
    })
    assert.equal(ok.statusCode, 200, ok.body)
    assert.equal((ok.json() as AdminProduct).title, 'Renamed')
    assert.notEqual(ok.headers.etag, etag)
    const stale = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/admin/products/${product.id}`,
      headers: { ...auth, 'if-match': etag },
      payload: { title: 'Lost update' },
    })
    assert.equal(stale.statusCode, 412)
    assert.equal((stale.json() as { code: string }).code, 'precondition_failed')
    const current = await ctx.app.inject({
      method: 'GET',
      url: `/v1/admin/products/${product.id}`,
      headers: auth,
    })
    assert.equal((current.json() as AdminProduct).title, 'Renamed')
    assert.equal(current.headers.etag, ok.headers.etag)
    assert.deepEqual(await outboxTypes(product.id), ['product.created', 'product.updated'])
  })

  test('delete is soft: the storefront loses the product, the slug is free again', async () => {
    const product = await createProduct(ctx, staff)
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/v1/admin/products/${product.id}`,
      headers: auth,
    })
    assert.equal(del.statusCode, 204)
    assert.equal(
      (await ctx.app.inject({ method: 'GET', url: `/v1/products/${product.id}` })).statusCode,
      404,
    )
    assert.equal(
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/v1/admin/products/${product.id}`,
          headers: auth,
        })
      ).statusCode,
      404,
    )
    const row = await sql<{
      deleted: boolean
    }>`select deleted_at is not null as deleted from catalog.product where id = ${product.id}`.execute(
      ctx.database.db,
    )
    assert.equal(row.rows[0]!.deleted, true)
    const reuse = await createProduct(ctx, staff, { slug: product.slug })
    assert.equal(reuse.slug, product.slug)
    assert.deepEqual(await outboxTypes(product.id), ['product.created', 'product.deleted'])
  })

  test('batch create is all or nothing', async () => {
    const a = productBody()
    const b = productBody()
    const clash = productBody({ variants: [{ sku: a.variants[0]!.sku }] })
    const failed = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/products/batch',
      headers: auth,
      payload: { products: [a, b, clash] },
    })
    assert.equal(failed.statusCode, 409)
    assert.equal(
      (failed.json() as { errors: { path: string }[] }).errors[0]!.path,
      '/body/products/2/variants/0/sku',
    )
    for (const p of [a, b]) {
      const n = await sql<{
        n: number
      }>`select count(*)::int as n from catalog.product where title = ${p.title}`.execute(
        ctx.database.db,
      )
      assert.equal(n.rows[0]!.n, 0)
    }
    const ok = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/products/batch',
      headers: auth,
      payload: { products: [a, b] },
    })
    assert.equal(ok.statusCode, 201)
    assert.equal((ok.json() as { data: AdminProduct[] }).data.length, 2)
  })

  test('variants can be added, repriced and removed, but not the last one', async () => {
    const product = await createProduct(ctx, staff)
    const added = await ctx.app.inject({
      method: 'POST',
      url: `/v1/admin/products/${product.id}/variants`,
      headers: auth,
      payload: {
        sku: `ADD-${uniqueSuffix()}`.toUpperCase(),
        options: { size: 'L' },
        price: { amount: 1500, currency: 'EUR' },
        onHand: 3,
      },
    })
    assert.equal(added.statusCode, 201, added.body)
    const variants = (added.json() as AdminProduct).variants
    assert.equal(variants.length, 2)
    const second = variants[1]!
    const repriced = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/admin/products/${product.id}/variants/${second.id}`,
      headers: auth,
      payload: {
        prices: [
          { amount: 1400, currency: 'EUR' },
          { amount: 1600, currency: 'USD' },
        ],
      },
    })
    assert.equal(repriced.statusCode, 200, repriced.body)
    assert.deepEqual((repriced.json() as AdminProduct).variants[1]!.prices, [
      { amount: 1400, currency: 'EUR' },
      { amount: 1600, currency: 'USD' },
    ])
    const removed = await ctx.app.inject({
      method: 'DELETE',
      url: `/v1/admin/products/${product.id}/variants/${second.id}`,
      headers: auth,
    })
    assert.equal(removed.statusCode, 200)
    const last = await ctx.app.inject({
      method: 'DELETE',
      url: `/v1/admin/products/${product.id}/variants/${variants[0]!.id}`,
      headers: auth,
    })
    assert.equal(last.statusCode, 409)
    assert.equal((last.json() as { code: string }).code, 'last_variant')
  })
})

describe('stock', () => {
  test('PUT /v1/admin/inventory honours If-Match and the storefront follows via the event', async () => {
    const product = await createProduct(ctx, staff, { variants: [{ onHand: 20 }] })
    const variantId = product.variants[0]!.id
    const level = await ctx.app.inject({
      method: 'GET',
      url: `/v1/admin/inventory/${variantId}`,
      headers: auth,
    })
    assert.equal(level.statusCode, 200)
    const etag = String(level.headers.etag)
    const put = await ctx.app.inject({
      method: 'PUT',
      url: `/v1/admin/inventory/${variantId}`,
      headers: { ...auth, 'if-match': etag },
      payload: { onHand: 0 },
    })
    assert.equal(put.statusCode, 200, put.body)
    assert.deepEqual(
      { onHand: put.json().onHand, available: put.json().available },
      { onHand: 0, available: 0 },
    )
    const stale = await ctx.app.inject({
      method: 'PUT',
      url: `/v1/admin/inventory/${variantId}`,
      headers: { ...auth, 'if-match': etag },
      payload: { onHand: 9 },
    })
    assert.equal(stale.statusCode, 412)
    await ctx.runtime.relay.drain()
    const store = await ctx.app.inject({ method: 'GET', url: `/v1/products/${product.id}` })
    assert.equal(store.json().variants[0].inStock, false)
    assert.deepEqual(await outboxTypes(variantId), [
      'inventory.stock_changed',
      'inventory.low_stock',
    ])
    const negative = await ctx.app.inject({
      method: 'PUT',
      url: `/v1/admin/inventory/${variantId}`,
      headers: auth,
      payload: { onHand: -1 },
    })
    assert.equal(negative.statusCode, 400)
  })
})

describe('category admin', () => {
  test('a parent with children cannot be deleted and a category cannot move under itself', async () => {
    const parent = await createCategory(ctx, staff, 'Top')
    const child = await createCategory(ctx, staff, 'Under', parent.id)
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/v1/admin/categories/${parent.id}`,
      headers: auth,
    })
    assert.equal(del.statusCode, 409)
    const cycle = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/admin/categories/${parent.id}`,
      headers: auth,
      payload: { parentId: child.id },
    })
    assert.equal(cycle.statusCode, 400)
    assert.equal((cycle.json() as { code: string }).code, 'category_cycle')
    const dup = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/categories',
      headers: auth,
      payload: { name: 'Dup', slug: child.slug },
    })
    assert.equal(dup.statusCode, 409)
    assert.equal(
      (
        await ctx.app.inject({
          method: 'DELETE',
          url: `/v1/admin/categories/${child.id}`,
          headers: auth,
        })
      ).statusCode,
      204,
    )
    assert.equal(
      (
        await ctx.app.inject({
          method: 'DELETE',
          url: `/v1/admin/categories/${parent.id}`,
          headers: auth,
        })
      ).statusCode,
      204,
    )
  })
})
