import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createCategory, createProduct } from '../helpers/catalog.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { statementsOf } from '../helpers/statements.js'
import { gql } from './support.js'

let ctx: TestContext
let staff: string
let category: { id: string; slug: string }
let product: { id: string; slug: string }

const LISTING = `query ($category: String) {
  products(first: 5, category: $category) { nodes { id title variants { price { amount } } } }
}`

const get = (query: string, variables?: Record<string, unknown>, token?: string) => {
  const params = new URLSearchParams({ query })
  if (variables) params.set('variables', JSON.stringify(variables))
  return ctx.app.inject({
    method: 'GET',
    url: `/graphql?${params.toString()}`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  })
}

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
  category = (await createCategory(ctx, staff, `GraphQL cache ${Date.now()}`)) as typeof category
  product = await createProduct(ctx, staff, { categoryIds: [category.id] })
})
after(() => ctx.close())

describe(`GraphQL catalog reply cache (${engine})`, () => {
  test('a repeated GET of a catalog query is served from the cache, same bytes, no SQL', async () => {
    const variables = { category: category.slug }
    const first = await get(LISTING, variables)
    assert.equal(first.statusCode, 200, first.body)
    assert.equal(first.headers['x-cache'], 'miss')
    assert.equal(first.json().data.products.nodes[0].id, product.id)
    let second: Awaited<ReturnType<typeof get>> | undefined
    const statements = await statementsOf(async () => (second = await get(LISTING, variables)))
    assert.deepEqual(statements, [])
    assert.equal(second?.headers['x-cache'], 'hit')
    assert.equal(second?.body, first.body)
    assert.equal(second?.headers.etag, first.headers.etag)
    assert.equal(second?.headers['content-type'], 'application/json; charset=utf-8')
  })

  test('a catalog write empties it: the next read shows the change', async () => {
    const query = `query ($slug: String) { product(slug: $slug) { title } }`
    await get(query, { slug: product.slug })
    assert.equal((await get(query, { slug: product.slug })).headers['x-cache'], 'hit')
    const patched = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/admin/products/${product.id}`,
      headers: { authorization: `Bearer ${staff}` },
      payload: { title: 'Renamed under GraphQL' },
    })
    assert.equal(patched.statusCode, 200, patched.body)
    const next = await get(query, { slug: product.slug })
    assert.equal(next.headers['x-cache'], 'miss')
    assert.equal(next.json().data.product.title, 'Renamed under GraphQL')
  })

  test('the same bytes for every caller: a signed-in read gets the cached reply', async () => {
    const query = `{ categories { id slug } }`
    const anonymous = await get(query)
    const signedIn = await get(query, undefined, staff)
    assert.equal(signedIn.headers['x-cache'], 'hit')
    assert.equal(signedIn.body, anonymous.body)
  })

  test('POST, other root fields, mixed root fields and replies with errors are never kept', async () => {
    const posted = await gql(ctx, LISTING, { category: category.slug })
    assert.equal(posted.response.headers['x-cache'], undefined)

    const token = await ctx.tokenFor('customer')
    const me = `{ me { email } }`
    for (let i = 0; i < 2; i++) {
      const reply = await get(me, undefined, token)
      assert.equal(reply.statusCode, 200, reply.body)
      assert.equal(reply.headers['x-cache'], undefined)
      assert.ok(reply.json().data.me.email)
    }
    const mixed = `{ categories { id } me { email } }`
    for (let i = 0; i < 2; i++) assert.equal((await get(mixed))?.headers['x-cache'], undefined)

    const invalid = `query ($first: Int) { products(first: $first) { nodes { id } } }`
    for (let i = 0; i < 2; i++) {
      const reply = await get(invalid, { first: 500 })
      assert.equal(reply.json().errors[0].extensions.code, 'validation_failed')
      assert.notEqual(reply.headers['x-cache'], 'hit')
    }
  })
})
