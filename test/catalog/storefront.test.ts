import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { createCategory, createProduct, type StorePage } from '../helpers/catalog.js'

let ctx: TestContext
let staff: string

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
})
after(() => ctx.close())

async function list(query: string): Promise<StorePage> {
  const res = await ctx.app.inject({ method: 'GET', url: `/v1/products?${query}` })
  assert.equal(res.statusCode, 200, res.body)
  return res.json() as StorePage
}

describe('listing', () => {
  test('cursor pagination walks every product exactly once, then reports no more', async () => {
    const category = await createCategory(ctx, staff, 'Paged')
    const ids = new Set<string>()
    for (let i = 0; i < 5; i++)
      ids.add((await createProduct(ctx, staff, { categoryIds: [category.id] })).id)
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: StorePage = await list(
        `category=${category.slug}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      )
      seen.push(...page.data.map((p) => p.id))
      assert.equal(page.page.hasMore, page.page.nextCursor !== null)
      cursor = page.page.nextCursor
      pages++
    } while (cursor)
    assert.equal(pages, 3)
    assert.deepEqual(new Set(seen), ids)
    assert.equal(seen.length, 5)
  })

  test('sorts by price both ways, by title, and newest first by default', async () => {
    const category = await createCategory(ctx, staff, 'Sorted')
    const made = []
    for (const [title, price] of [
      ['Banana', 300],
      ['Apple', 100],
      ['Cherry', 200],
    ] as const) {
      made.push(
        await createProduct(ctx, staff, {
          title: `${title} ${uniqueSuffix()}`,
          categoryIds: [category.id],
          variants: [{ price }],
        }),
      )
    }
    const prices = (p: StorePage) => p.data.map((d) => d.variants[0]!.price.amount)
    assert.deepEqual(prices(await list(`category=${category.id}&sort=price`)), [100, 200, 300])
    assert.deepEqual(prices(await list(`category=${category.id}&sort=-price`)), [300, 200, 100])
    const byTitle = await list(`category=${category.id}&sort=title&limit=2`)
    assert.deepEqual(
      byTitle.data.map((d) => d.title.split(' ')[0]),
      ['Apple', 'Banana'],
    )
    const next = await list(
      `category=${category.id}&sort=title&limit=2&cursor=${byTitle.page.nextCursor}`,
    )
    assert.deepEqual(
      next.data.map((d) => d.title.split(' ')[0]),
      ['Cherry'],
    )
    const newest = await list(`category=${category.id}`)
    assert.deepEqual(
      newest.data.map((d) => d.id),
      made.map((m) => m.id).reverse(),
    )
  })

  test('filters by price range, stock and category including subcategories', async () => {
    const parent = await createCategory(ctx, staff, 'Parent')
    const child = await createCategory(ctx, staff, 'Child', parent.id)
    const cheap = await createProduct(ctx, staff, {
      categoryIds: [child.id],
      variants: [{ price: 500 }],
    })
    const dear = await createProduct(ctx, staff, {
      categoryIds: [parent.id],
      variants: [{ price: 5000 }],
    })
    const soldOut = await createProduct(ctx, staff, {
      categoryIds: [child.id],
      variants: [{ price: 700, onHand: 0 }],
    })
    const ids = (p: StorePage) => new Set(p.data.map((d) => d.id))
    assert.deepEqual(
      ids(await list(`category=${parent.slug}`)),
      new Set([cheap.id, dear.id, soldOut.id]),
    )
    assert.deepEqual(ids(await list(`category=${child.slug}`)), new Set([cheap.id, soldOut.id]))
    assert.deepEqual(
      ids(await list(`category=${parent.id}&minPrice=600&maxPrice=1000`)),
      new Set([soldOut.id]),
    )
    assert.deepEqual(
      ids(await list(`category=${parent.id}&inStock=true`)),
      new Set([cheap.id, dear.id]),
    )
    assert.deepEqual(ids(await list(`category=no-such-category-${uniqueSuffix()}`)), new Set())
  })

  test('bad listing input is a 400 problem naming the field', async () => {
    for (const [query, code, path] of [
      ['sort=colour', 'unknown_sort_field', '/query/sort'],
      ['color=red', 'validation_failed', '/query/color'],
      ['limit=101', 'validation_failed', '/query/limit'],
      ['cursor=not-a-cursor', 'invalid_cursor', '/cursor'],
      ['minPrice=500&maxPrice=100', 'invalid_price_range', '/query/minPrice'],
    ] as const) {
      const res = await ctx.app.inject({ method: 'GET', url: `/v1/products?${query}` })
      assert.equal(res.statusCode, 400, query)
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/)
      const body = res.json() as { code: string; errors: { path: string }[] }
      assert.equal(body.code, code, query)
      assert.ok(
        body.errors.some((e) => e.path === path),
        `${query}: ${JSON.stringify(body.errors)}`,
      )
    }
  })
})

describe('search', () => {
  test('full-text search stems words, ranks title matches first and falls back on typos', async () => {
    const word = `zorblax${uniqueSuffix().replace(/[^a-z]/g, '')}`
    const inTitle = await createProduct(ctx, staff, {
      title: `Waterproof ${word} jacket`,
      description: 'Keeps rain out.',
    })
    const inText = await createProduct(ctx, staff, {
      title: `Plain shell ${uniqueSuffix()}`,
      description: `Pairs well with any ${word} jackets.`,
    })
    const found = await list(`q=${encodeURIComponent(`${word} jackets`)}`)
    assert.deepEqual(
      found.data.map((p) => p.id),
      [inTitle.id, inText.id],
    )
    const excluded = await list(`q=${encodeURIComponent(`${word} -waterproof`)}`)
    assert.deepEqual(
      excluded.data.map((p) => p.id),
      [inText.id],
    )
    const typo = word.slice(0, 4) + word.slice(5) // one letter dropped
    const fuzzy = await list(`q=${encodeURIComponent(`${typo} jacket`)}`)
    assert.ok(
      fuzzy.data.some((p) => p.id === inTitle.id),
      'typo-tolerant fallback finds the product',
    )
  })
})

describe('product page', () => {
  test('reads a product by id or slug; drafts and deleted products are 404', async () => {
    const product = await createProduct(ctx, staff)
    for (const ref of [product.id, product.slug]) {
      const res = await ctx.app.inject({ method: 'GET', url: `/v1/products/${ref}` })
      assert.equal(res.statusCode, 200)
      const body = res.json() as {
        id: string
        categories: unknown[]
        variants: { price: unknown }[]
      }
      assert.equal(body.id, product.id)
      assert.deepEqual(body.variants[0]!.price, { amount: 1000, currency: 'EUR' })
    }
    const draft = await createProduct(ctx, staff, { status: 'draft' })
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/products/${draft.slug}` })
    assert.equal(res.statusCode, 404)
    assert.equal((res.json() as { code: string }).code, 'product_not_found')
    const draftsListed = await list(`q=${encodeURIComponent(draft.title)}`)
    assert.ok(!draftsListed.data.some((p) => p.id === draft.id))
  })

  test('answers 304 to a matching If-None-Match and sends Cache-Control', async () => {
    const product = await createProduct(ctx, staff)
    const first = await ctx.app.inject({ method: 'GET', url: `/v1/products/${product.slug}` })
    const etag = first.headers.etag as string
    assert.ok(etag)
    assert.match(String(first.headers['cache-control']), /public, max-age=\d+/)
    const again = await ctx.app.inject({
      method: 'GET',
      url: `/v1/products/${product.slug}`,
      headers: { 'if-none-match': etag },
    })
    assert.equal(again.statusCode, 304)
    assert.equal(again.body, '')
    const listing = await ctx.app.inject({ method: 'GET', url: '/v1/products?limit=3' })
    const cached = await ctx.app.inject({
      method: 'GET',
      url: '/v1/products?limit=3',
      headers: { 'if-none-match': String(listing.headers.etag) },
    })
    assert.equal(cached.statusCode, 304)
  })

  test('prices come in the requested currency; variants without that price are hidden', async () => {
    const product = await createProduct(ctx, staff, {
      variants: [{ price: 1000, prices: [{ amount: 1100, currency: 'USD' }] }, { price: 2000 }],
    })
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/v1/products/${product.id}?currency=USD`,
    })
    const body = res.json() as { variants: { price: { amount: number; currency: string } }[] }
    assert.deepEqual(
      body.variants.map((v) => v.price),
      [{ amount: 1100, currency: 'USD' }],
    )
  })
})

describe('categories', () => {
  test('the tree nests children under parents and a category reads by id or slug', async () => {
    const root = await createCategory(ctx, staff, 'Root')
    const leaf = await createCategory(ctx, staff, 'Leaf', root.id)
    const tree = (await ctx.app.inject({ method: 'GET', url: '/v1/categories' })).json() as {
      data: { id: string; children: { id: string }[] }[]
    }
    const node = tree.data.find((c) => c.id === root.id)
    assert.deepEqual(
      node?.children.map((c) => c.id),
      [leaf.id],
    )
    const bySlug = await ctx.app.inject({ method: 'GET', url: `/v1/categories/${root.slug}` })
    assert.equal((bySlug.json() as { children: { id: string }[] }).children[0]!.id, leaf.id)
    assert.equal(
      (await ctx.app.inject({ method: 'GET', url: '/v1/categories/nope-nope' })).statusCode,
      404,
    )
  })
})
