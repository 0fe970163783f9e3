import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { KyselyPlugin } from 'kysely'
import { loadConfig } from '../../src/config.js'
import type { Database } from '../../src/platform/db/database.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createRuntime, type Runtime } from '../../src/runtime.js'
import { createTestContext, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { createCategory, createProduct, type StorePage } from '../helpers/catalog.js'

const redis = Boolean(process.env.REDIS_URL)
// A Redis key space of this file's own: other test files' invalidations must not reach it.
const PREFIX = `emporium:test:${uniqueSuffix()}`

let ctx: TestContext
let staff: string
let auth: { authorization: string }

/** One more process on the same database (and Redis): its own cache, relay and query count. */
interface Instance {
  runtime: Runtime
  app: FastifyInstance
  queries: () => number
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

/** The database as the instance sees it, counting every query it compiles. */
function counted(database: Database): { database: Database; count: () => number } {
  let count = 0
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      count++
      return args.node
    },
    transformResult: async (args) => args.result,
  }
  const db = database.db.withPlugin(plugin)
  const read = database.read === database.db ? db : database.read.withPlugin(plugin)
  return { database: { ...database, db, read }, count: () => count }
}

async function instance(
  env: Record<string, string> = {},
  cacheClock?: () => number,
): Promise<Instance> {
  const config = loadConfig({
    ...(process.env as Record<string, string>),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_DEFAULT: '100000/60',
    RATE_LIMIT_PREFIX: `${PREFIX}:rl`,
    CACHE_PREFIX: PREFIX,
    // The relay delivers inline here; JetStream delivery has its own suite (event-bus.contract).
    NATS_URL: '',
    ...env,
  })
  const { database, count } = counted(ctx.database)
  const runtime = createRuntime(config, createLogger('warn', { write: () => {} }), database, {
    cacheClock,
  })
  const app = await runtime.buildApp()
  await app.ready()
  return {
    runtime,
    app,
    queries: count,
    get: (url, headers = {}) => app.inject({ method: 'GET', url, headers }),
    async close() {
      await app.close()
      await runtime.relay.stop()
      await runtime.closeConnections()
    },
  }
}

async function admin(
  method: 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
  app: FastifyInstance = ctx.app,
) {
  const res = await app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) })
  assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`)
  return res
}

/** A read and the queries it took. */
async function read(node: Instance, url: string) {
  const before = node.queries()
  const res = await node.get(url)
  return { res, queries: node.queries() - before }
}

before(async () => {
  ctx = await createTestContext({ CACHE_PREFIX: PREFIX })
  staff = await ctx.tokenFor('staff')
  auth = { authorization: `Bearer ${staff}` }
})
after(() => ctx.close())

describe('storefront cache', () => {
  let node: Instance
  before(async () => (node = await instance()))
  after(() => node.close())

  test('a repeated read is served with the same bytes and ETag and without a query', async () => {
    const category = await createCategory(ctx, staff, 'Cached')
    const product = await createProduct(ctx, staff, { categoryIds: [category.id] })
    for (const url of [
      `/v1/products?limit=5&category=${category.slug}`,
      `/v1/products/${product.slug}`,
      `/v1/categories`,
      `/v1/categories/${category.id}`,
    ]) {
      const first = await read(node, url)
      assert.equal(first.res.statusCode, 200, first.res.body)
      assert.ok(first.queries > 0, url)
      assert.equal(first.res.headers['x-cache'], 'miss')
      const second = await read(node, url)
      assert.equal(second.queries, 0, `${url} queried the database on a hit`)
      assert.equal(second.res.headers['x-cache'], 'hit')
      assert.equal(second.res.body, first.res.body)
      assert.equal(second.res.headers.etag, first.res.headers.etag)
      assert.equal(second.res.headers['content-type'], 'application/json; charset=utf-8')
      assert.equal(second.res.headers['cache-control'], first.res.headers['cache-control'])
      const revalidated = await node.get(url, { 'if-none-match': String(first.res.headers.etag) })
      assert.equal(revalidated.statusCode, 304)
    }
    // The parameters' order does not make another entry.
    const swapped = await read(node, `/v1/products?category=${category.slug}&limit=5`)
    assert.equal(swapped.queries, 0)
  })

  test('a hit carries the bytes and ETag of the uncached reply', async () => {
    const off = await instance({ CATALOG_CACHE_TTL_SECONDS: '0' })
    try {
      const product = await createProduct(ctx, staff)
      const url = `/v1/products/${product.slug}`
      await node.get(url)
      const [cached, plain] = [await node.get(url), await off.get(url)]
      assert.equal(cached.headers['x-cache'], 'hit')
      assert.equal(cached.body, plain.body)
      assert.equal(cached.headers.etag, plain.headers.etag)
    } finally {
      await off.close()
    }
  })

  test('concurrent misses of one reply share one load', async () => {
    const product = await createProduct(ctx, staff)
    const one = await read(node, `/v1/products/${product.id}?currency=EUR`)
    assert.equal(one.res.headers['x-cache'], 'miss')
    const url = `/v1/products/${product.id}`
    const before = node.queries()
    const replies = await Promise.all(Array.from({ length: 8 }, () => node.get(url)))
    assert.equal(node.queries() - before, one.queries, 'eight concurrent reads, one load')
    assert.deepEqual(
      replies.map((r) => r.headers['x-cache']),
      ['miss', ...Array<string>(7).fill('hit')],
    )
    for (const r of replies) {
      assert.equal(r.statusCode, 200)
      assert.equal(r.body, one.res.body)
      assert.equal(r.headers.etag, one.res.headers.etag)
    }
    // A shared load that fails is not shared: each request gets its own error reply.
    const missing = `/v1/products/no-such-${uniqueSuffix()}`
    const errors = await Promise.all(Array.from({ length: 3 }, () => node.get(missing)))
    assert.deepEqual(
      errors.map((r) => r.statusCode),
      [404, 404, 404],
    )
  })

  test('compressed clients get the stored copy the compress plugin would have made', async () => {
    const url = '/v1/products?limit=20'
    const plain = await node.get(url)
    assert.ok(plain.rawPayload.length >= 1024, 'the listing is above the compression threshold')
    const cases: [string, string | undefined][] = [
      ['gzip, deflate, br', 'br'],
      ['gzip, br', 'br'],
      ['gzip', 'gzip'],
      ['deflate', 'deflate'], // left to the plugin
      ['br;q=0.5, gzip', 'gzip'], // q-values: left to the plugin
      ['identity', undefined],
    ]
    for (const [accept, expected] of cases) {
      for (let i = 0; i < 2; i++) {
        const res = await node.get(url, { 'accept-encoding': accept })
        assert.equal(res.statusCode, 200)
        assert.equal(res.headers['x-cache'], 'hit', accept)
        assert.equal(res.headers['content-encoding'], expected, accept)
        assert.equal(res.headers.etag, plain.headers.etag)
        const decode = { br: brotliDecompressSync, gzip: gunzipSync, deflate: inflateSync }
        const body = expected
          ? decode[expected as keyof typeof decode](res.rawPayload)
          : res.rawPayload
        assert.ok(body.equals(plain.rawPayload), `${accept}: the same bytes once decoded`)
        if (expected) assert.equal(res.headers.vary, 'accept-encoding')
      }
    }
    const revalidated = await node.get(url, {
      'accept-encoding': 'gzip, br',
      'if-none-match': String(plain.headers.etag),
    })
    assert.equal(revalidated.statusCode, 304)
    const declined = await node.get(url, { 'accept-encoding': 'br', 'x-no-compression': '1' })
    assert.equal(declined.headers['content-encoding'], undefined)
    assert.equal(declined.body, plain.body)
  })

  test('errors are never cached', async () => {
    const missing = `/v1/products/no-such-${uniqueSuffix()}`
    for (let i = 0; i < 2; i++) {
      const { res, queries } = await read(node, missing)
      assert.equal(res.statusCode, 404)
      assert.ok(queries > 0)
      assert.equal(res.headers['x-cache'], undefined)
    }
    const bad = await node.get('/v1/products?sort=colour')
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.headers['x-cache'], undefined)
  })
})

describe('invalidation by the writing instance', () => {
  let node: Instance
  before(async () => (node = await instance()))
  after(() => node.close())

  /**
   * Reads `url` through the cache, then: change through this instance, read again. The writer
   * runs the cache's handlers before it answers (test/catalog/read-your-writes.test.ts); the
   * relay, drained after, finds them processed.
   */
  async function afterChange(url: string, change: () => Promise<unknown>) {
    const first = await node.get(url)
    assert.equal((await node.get(url)).headers['x-cache'], 'hit')
    await change()
    const next = await node.get(url)
    assert.equal(next.headers['x-cache'] ?? 'miss', 'miss')
    await node.runtime.relay.drain()
    // An error (a deleted product's 404) is never cached; a reply is, and stays so.
    const again = await node.get(url)
    if (next.statusCode === 200)
      assert.equal(again.headers['x-cache'], 'hit', 'no second invalidation')
    return { first, next }
  }
  const write = (method: 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    admin(method, url, payload, node.app)
  const create = (spec: Parameters<typeof createProduct>[2]) =>
    createProduct({ ...ctx, app: node.app }, staff, spec)

  test('product update: create, list, update, drain the relay, the list shows the update', async () => {
    const category = await createCategory(ctx, staff, 'Updates')
    const product = await createProduct(ctx, staff, { categoryIds: [category.id] })
    const url = `/v1/products?category=${category.id}`
    const { next } = await afterChange(url, () =>
      write('PATCH', `/v1/admin/products/${product.id}`, { title: 'Renamed by a test' }),
    )
    assert.equal((next.json() as StorePage).data[0]!.title, 'Renamed by a test')
  })

  test('product create and delete', async () => {
    const category = await createCategory(ctx, staff, 'Arrivals')
    const url = `/v1/products?category=${category.id}`
    let created = ''
    const { next } = await afterChange(url, async () => {
      created = (await create({ categoryIds: [category.id] })).id
    })
    assert.deepEqual(
      (next.json() as StorePage).data.map((p) => p.id),
      [created],
    )
    const gone = await afterChange(`/v1/products/${created}`, () =>
      write('DELETE', `/v1/admin/products/${created}`),
    )
    assert.equal(gone.first.statusCode, 200)
    assert.equal(gone.next.statusCode, 404)
  })

  test('stock change, once the in-stock projection has it', async () => {
    const product = await createProduct(ctx, staff, { variants: [{ onHand: 3 }] })
    const variantId = product.variants[0]!.id
    const { first, next } = await afterChange(`/v1/products/${product.id}`, () =>
      write('PUT', `/v1/admin/inventory/${variantId}`, { onHand: 0 }),
    )
    assert.equal(first.json().variants[0].inStock, true)
    assert.equal(next.json().variants[0].inStock, false)
  })

  test('a stock change that keeps every in-stock flag leaves the cache alone', async () => {
    const product = await createProduct(ctx, staff, { variants: [{ onHand: 3 }] })
    const variantId = product.variants[0]!.id
    const url = `/v1/products/${product.id}`
    await node.runtime.relay.drain() // product.created empties the cache; only stock comes next
    const first = await node.get(url)
    assert.equal(first.json().variants[0].inStock, true)
    await admin('PUT', `/v1/admin/inventory/${variantId}`, { onHand: 2 })
    // What checkout does: hold, then commit, a unit; available stays above zero throughout.
    const inventory = node.runtime.modules.inventory.service
    const reference = `test-${uniqueSuffix()}`
    await inventory.reserve(undefined, reference, [{ variantId, quantity: 1 }], 600)
    await inventory.commit(undefined, reference)
    assert.ok((await node.runtime.relay.drain()) >= 3)
    const { res, queries } = await read(node, url)
    assert.equal(res.headers['x-cache'], 'hit')
    assert.equal(queries, 0)
    assert.equal(res.body, first.body)
  })

  test('a variant coming back in stock empties it', async () => {
    const product = await createProduct(ctx, staff, { variants: [{ onHand: 0 }, { onHand: 4 }] })
    const variantId = product.variants[0]!.id
    const { first, next } = await afterChange(`/v1/products/${product.id}`, () =>
      write('PUT', `/v1/admin/inventory/${variantId}`, { onHand: 7 }),
    )
    assert.deepEqual(
      first.json().variants.map((v: { inStock: boolean }) => v.inStock),
      [false, true],
    )
    assert.deepEqual(
      next.json().variants.map((v: { inStock: boolean }) => v.inStock),
      [true, true],
    )
  })

  test('the projection says when storefront replies may have changed', async () => {
    const product = await createProduct(ctx, staff, { variants: [{ onHand: 3 }] })
    const variantId = product.variants[0]!.id
    const apply = (available: number, version: number) =>
      node.runtime.modules.catalog.service.applyStockChanged({ variantId, available, version })
    assert.equal(await apply(2, 10), false, 'still in stock')
    assert.equal(await apply(0, 11), true, 'sold out')
    assert.equal(
      await apply(0, 11),
      true,
      'redelivered: its first delivery may not have emptied it',
    )
    assert.equal(await apply(5, 9), false, 'older than the flag it would overwrite')
    assert.equal((await node.get(`/v1/products/${product.id}`)).json().variants[0].inStock, false)
    assert.equal(await apply(0, 12), false, 'still sold out')
    assert.equal(await apply(1, 13), true, 'back in stock')
    const unknown = { variantId: `var_missing_${uniqueSuffix()}`, available: 1, version: 2 }
    assert.equal(await node.runtime.modules.catalog.service.applyStockChanged(unknown), false)
  })

  test('category update and removal', async () => {
    const category = await createCategory(ctx, staff, 'Before')
    const { next } = await afterChange(`/v1/categories/${category.id}`, () =>
      write('PATCH', `/v1/admin/categories/${category.id}`, { name: 'After' }),
    )
    assert.equal(next.json().name, 'After')
    const tree = await afterChange('/v1/categories', () =>
      write('DELETE', `/v1/admin/categories/${category.id}`),
    )
    const ids = (res: LightMyRequestResponse) =>
      (res.json() as { data: { id: string }[] }).data.map((c) => c.id)
    assert.ok(ids(tree.first).includes(category.id))
    assert.ok(!ids(tree.next).includes(category.id))
  })
})

describe('bounds and settings', () => {
  test('without an invalidation reaching it, the TTL bounds staleness', async () => {
    let clock = performance.now()
    // A generation of its own: the writer's invalidation (through Redis, if any) never reaches it.
    const env = { CATALOG_CACHE_TTL_SECONDS: '1', CACHE_PREFIX: `${PREFIX}:alone` }
    const node = await instance(env, () => clock)
    try {
      const product = await createProduct(ctx, staff)
      const url = `/v1/products/${product.id}`
      await node.get(url)
      await admin('PATCH', `/v1/admin/products/${product.id}`, { title: 'Changed quietly' })
      assert.notEqual((await node.get(url)).json().title, 'Changed quietly')
      clock += 1100
      const { res, queries } = await read(node, url)
      assert.ok(queries > 0)
      assert.equal(res.json().title, 'Changed quietly')
    } finally {
      await node.close()
    }
  })

  test('CATALOG_CACHE_TTL_SECONDS=0 turns the cache off; ETag and 304 still work', async () => {
    const node = await instance({ CATALOG_CACHE_TTL_SECONDS: '0' })
    try {
      const product = await createProduct(ctx, staff)
      const url = `/v1/products/${product.id}`
      const first = await read(node, url)
      const second = await read(node, url)
      assert.ok(first.queries > 0 && second.queries > 0)
      assert.equal(second.res.headers['x-cache'], undefined)
      assert.equal(second.res.body, first.res.body)
      const etag = String(first.res.headers.etag)
      assert.match(etag, /^"/)
      assert.equal((await node.get(url, { 'if-none-match': etag })).statusCode, 304)
    } finally {
      await node.close()
    }
  })

  test('CATALOG_CACHE_MAX_ENTRIES bounds it: the least recently used reply goes first', async () => {
    const node = await instance({ CATALOG_CACHE_MAX_ENTRIES: '2' })
    try {
      const urls = []
      for (let i = 0; i < 3; i++) urls.push(`/v1/products/${(await createProduct(ctx, staff)).id}`)
      for (const url of urls) await node.get(url)
      assert.ok((await read(node, urls[0]!)).queries > 0, 'the oldest entry was evicted')
      assert.equal((await read(node, urls[0]!)).queries, 0)
    } finally {
      await node.close()
    }
  })
})

describe(`two instances (${redis ? 'two processes sharing Redis' : 'one process'})`, () => {
  test('an invalidation published by one instance reaches the other', async () => {
    // Without Redis, instances share a generation only inside one runtime (one process).
    const a = await instance()
    const b = redis ? await instance() : undefined
    const bApp = b?.app ?? (await a.runtime.buildApp())
    try {
      const product = await createProduct(ctx, staff)
      const url = `/v1/products/${product.id}`
      const get = (app: FastifyInstance) => app.inject({ method: 'GET', url })
      await get(bApp)
      assert.equal((await get(bApp)).headers['x-cache'], 'hit')
      await admin('PATCH', `/v1/admin/products/${product.id}`, { title: 'Seen everywhere' }, a.app)
      // With Redis, B reads the generation again within its refresh interval (250 ms).
      const deadline = Date.now() + 2000
      let seen = await get(bApp)
      while (seen.json().title !== 'Seen everywhere' && Date.now() < deadline) {
        await sleep(25)
        seen = await get(bApp)
      }
      assert.equal(seen.json().title, 'Seen everywhere')
    } finally {
      await (b ? b.close() : bApp.close())
      await a.close()
    }
  })
})
