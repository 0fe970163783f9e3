import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { buildHttpApp } from '../../src/app.js'
import { allTypeDefs } from '../../src/composition.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createCategory, createProduct } from '../helpers/catalog.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { statementsOf } from '../helpers/statements.js'
import { gql, gqlData } from './support.js'

let ctx: TestContext
let admin: string
let categorySlug: string

const LISTING = `query ($first: Int, $category: String) {
  products(first: $first, category: $category) {
    nodes { id slug title description categories { id slug name }
      variants { id sku title options { name value } price { amount currency } inStock } }
    pageInfo { hasNextPage endCursor }
  }
}`

before(async () => {
  // The storefront cache off: every listing below runs its SQL.
  ctx = await createTestContext({
    CATALOG_CACHE_TTL_SECONDS: '0',
    GRAPHQL_MAX_DEPTH: '6',
    GRAPHQL_MAX_COST: '2000',
  })
  admin = await ctx.tokenFor('admin')
  const category = (await createCategory(ctx, admin, `GraphQL ${Date.now()}`)) as {
    id: string
    slug: string
  }
  categorySlug = category.slug
  for (let i = 0; i < 20; i++) {
    await createProduct(ctx, admin, {
      categoryIds: [category.id],
      variants: [{ price: 1000 + i }, { price: 2000 + i, options: { size: 'L' } }],
    })
  }
})
after(() => ctx.close())

describe(`GraphQL over HTTP (${engine})`, () => {
  test('a listing of 20 products with variants, prices and categories runs as many statements as one of 5', async () => {
    const run = (first: number) =>
      statementsOf(async () => {
        const data = await gqlData<{ products: { nodes: { variants: unknown[] }[] } }>(
          ctx,
          LISTING,
          { first, category: categorySlug },
        )
        assert.equal(data.products.nodes.length, first)
        assert.ok(data.products.nodes.every((p) => p.variants.length === 2))
      })
    await run(5) // warm: compiled queries, category lookup paths
    const five = await run(5)
    const twenty = await run(20)
    assert.equal(twenty.length, five.length, twenty.join('\n'))
    assert.ok(twenty.length <= 4, `${twenty.length} statements`)
  })

  test('pages through with endCursor; a REST filter error keeps its code', async () => {
    const first = await gqlData<{
      products: { nodes: { id: string }[]; pageInfo: { endCursor: string } }
    }>(ctx, LISTING, { first: 15, category: categorySlug })
    const next = await gqlData<{
      products: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } }
    }>(
      ctx,
      `query ($after: String, $category: String) {
        products(first: 15, after: $after, category: $category) { nodes { id } pageInfo { hasNextPage } }
      }`,
      { after: first.products.pageInfo.endCursor, category: categorySlug },
    )
    assert.equal(next.products.nodes.length, 5)
    assert.equal(next.products.pageInfo.hasNextPage, false)
    const seen = new Set([...first.products.nodes, ...next.products.nodes].map((n) => n.id))
    assert.equal(seen.size, 20)

    const bad = await gql(ctx, `{ products(after: "nope") { nodes { id } } }`)
    assert.equal(bad.errors?.[0]?.extensions.code, 'invalid_cursor')
    const tooMany = await gql(ctx, `{ products(first: 500) { nodes { id } } }`)
    assert.equal(tooMany.errors?.[0]?.extensions.code, 'validation_failed')
    assert.ok(Array.isArray(tooMany.errors?.[0]?.extensions.errors))
  })

  test('a query over the depth or cost limit is refused before any SQL runs', async () => {
    const deep = `{ categories { children { children { children { children { children { id } } } } } } }`
    const statements = await statementsOf(async () => {
      const res = await gql(ctx, deep)
      assert.equal(res.status, 400)
      assert.equal(res.errors?.[0]?.extensions.code, 'query_too_complex')
      assert.equal(res.data, null)
    })
    assert.deepEqual(statements, [])

    const costly = `{ a: products(first: 100) { nodes { id title slug description
      variants { id sku title inStock price { amount currency } options { name value } } } }
      b: products(first: 100) { nodes { id title slug description
      variants { id sku title inStock price { amount currency } options { name value } } } } }`
    const refused = await statementsOf(async () => {
      const res = await gql(ctx, costly)
      assert.equal(res.errors?.[0]?.extensions.code, 'query_too_complex')
      assert.match(res.errors![0]!.message, /costs \d+; the limit is 2000/)
    })
    assert.deepEqual(refused, [])
  })

  test('syntax and schema errors are validation_failed, 400', async () => {
    for (const query of ['{ products {', '{ nope }']) {
      const res = await gql(ctx, query)
      assert.equal(res.status, 400)
      assert.equal(res.errors?.[0]?.extensions.code, 'validation_failed')
    }
  })

  test('GET serves queries; a mutation over GET is refused', async () => {
    const query = encodeURIComponent('{ categories { id } }')
    const res = await ctx.app.inject({ method: 'GET', url: `/graphql?query=${query}` })
    assert.equal(res.statusCode, 200)
    assert.ok(Array.isArray(res.json().data.categories))
    assert.equal(res.headers['x-request-id'] !== undefined, true)
  })

  test('automatic persisted queries: a hash alone works once the query was sent with it', async () => {
    const query = `{ categories { id slug } }`
    const sha256Hash = createHash('sha256').update(query).digest('hex')
    const extensions = { persistedQuery: { version: 1, sha256Hash } }
    const send = (payload: object) => ctx.app.inject({ method: 'POST', url: '/graphql', payload })
    const miss = await send({ extensions })
    assert.equal(miss.json().errors[0].extensions.code, 'PERSISTED_QUERY_NOT_FOUND')
    const register = await send({ query, extensions })
    assert.equal(register.statusCode, 200)
    const hit = await send({ extensions })
    assert.equal(hit.statusCode, 200)
    assert.deepEqual(hit.json(), register.json())
  })

  test('introspection and GraphiQL answer outside production only', async () => {
    const introspect = await gql(ctx, `{ __schema { queryType { name } } }`)
    assert.equal(introspect.errors, undefined)
    const ide = await ctx.app.inject({ method: 'GET', url: '/graphiql' })
    assert.equal(ide.statusCode, 200)
    assert.match(String(ide.headers['content-security-policy']), /unpkg\.com/)

    const production = await buildHttpApp({
      config: { ...ctx.config, isProduction: true },
      logger: createLogger('silent'),
      modules: ctx.runtime.modules.runtimes,
      typeDefs: allTypeDefs,
      authenticate: ctx.runtime.modules.auth.authenticate,
      readiness: [],
    })
    try {
      const res = await production.inject({
        method: 'POST',
        url: '/graphql',
        payload: { query: '{ __schema { queryType { name } } }' },
      })
      assert.equal(res.json().errors[0].extensions.code, 'validation_failed')
      assert.equal((await production.inject({ method: 'GET', url: '/graphiql' })).statusCode, 404)
      const ok = await production.inject({
        method: 'POST',
        url: '/graphql',
        payload: { query: '{ categories { id } }' },
      })
      assert.equal(ok.statusCode, 200)
    } finally {
      await production.close()
    }
  })

  test('a bad bearer token is unauthenticated with WWW-Authenticate, as in REST', async () => {
    const res = await gql(ctx, '{ categories { id } }', {}, { token: 'emp_not_a_key' })
    assert.equal(res.status, 401)
    assert.equal(res.errors?.[0]?.extensions.code, 'invalid_token')
    assert.match(String(res.response.headers['www-authenticate']), /Bearer/)
  })
})

describe(`GraphQL rate limits (${engine})`, () => {
  test('the same quota as REST: the request over it is 429 rate_limited with Retry-After', async () => {
    const limited = await createTestContext({ RATE_LIMIT_DEFAULT: '2/60' })
    try {
      const codes: number[] = []
      for (let i = 0; i < 3; i++) codes.push((await gql(limited, '{ categories { id } }')).status)
      assert.deepEqual(codes, [200, 200, 429])
      const res = await gql(limited, '{ categories { id } }')
      assert.equal(res.errors?.[0]?.extensions.code, 'rate_limited')
      assert.ok(Number(res.response.headers['retry-after']) > 0)
      assert.equal(res.response.headers['x-ratelimit-limit'], '2')
    } finally {
      await limited.close()
    }
  })
})

describe(`GraphQL variables (${engine})`, () => {
  test('a variable of the wrong type is validation_failed, not an internal error', async () => {
    const query = `query ($first: Int) { products(first: $first) { nodes { id } } }`
    for (let i = 0; i < 3; i++) {
      // The third run executes the compiled (graphql-jit) form of the query.
      const ok = await gql(ctx, query, { first: 1 })
      assert.equal(ok.errors, undefined)
    }
    const bad = await gql(ctx, query, { first: 'abc' })
    assert.equal(bad.errors?.[0]?.extensions.code, 'validation_failed', JSON.stringify(bad.errors))
    assert.equal(bad.status, 400)
  })
})
