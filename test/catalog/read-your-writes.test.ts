import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createRuntime } from '../../src/runtime.js'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { createProduct, type StorePage } from '../helpers/catalog.js'
import { cartWith, checkout } from '../checkout/support.js'

/**
 * The contract: once a write's response has been sent, no read through the same instance returns
 * the state from before it (its cache included); other instances converge within 1 s. The test
 * context's relay is not started, so nothing here is invalidated by the outbox: only what the
 * writing instance does before it answers counts.
 */
const redis = Boolean(process.env.REDIS_URL)
const CACHE_PREFIX = `test:${uniqueSuffix()}:cache`

let ctx: TestContext
let auth: { authorization: string }

before(async () => {
  // The test context leaves Redis out unless asked; with REDIS_URL this writer shares it.
  const shared: Record<string, string> = redis ? { REDIS_URL: process.env.REDIS_URL! } : {}
  ctx = await createTestContext({ ...shared, CACHE_PREFIX, PAYMENT_TEST_TIMEOUT_DELAY_MS: '0' })
  auth = { authorization: `Bearer ${await ctx.tokenFor('staff')}` }
})
after(() => ctx.close())

const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url })

async function rename(productId: string, title: string) {
  const res = await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/admin/products/${productId}`,
    headers: auth,
    payload: { title },
  })
  assert.equal(res.statusCode, 200, res.body)
}

describe(`read your writes on the writing instance (${engine})`, () => {
  test('PATCH then an immediate GET never returns the old title, also under concurrent reads', async () => {
    const staff = auth.authorization.slice('Bearer '.length)
    const product = await createProduct(ctx, staff, { title: `Original ${uniqueSuffix()}` })
    const url = `/v1/products/${product.id}`
    const list = `/v1/products?q=${encodeURIComponent(product.title)}`
    assert.equal((await get(ctx.app, url)).statusCode, 200)
    assert.equal((await get(ctx.app, url)).headers['x-cache'], 'hit', 'the product is cached')
    // Readers that keep the entries warm (and race to store what they read) meanwhile; a hit
    // never waits on I/O, so each yields to the event loop between its requests.
    let reading = true
    const readers = Array.from({ length: 4 }, async (_, i) => {
      while (reading) {
        await get(ctx.app, i % 2 ? url : list)
        await new Promise((resolve) => setImmediate(resolve))
      }
    })
    try {
      for (let i = 0; i < 25; i++) {
        const title = `Renamed ${i} ${uniqueSuffix()}`
        await rename(product.id, title)
        const res = await get(ctx.app, url)
        assert.equal(res.statusCode, 200)
        assert.equal(res.json().title, title, `iteration ${i}: the product`)
      }
    } finally {
      reading = false
      await Promise.all(readers)
    }
    const title = `Last ${uniqueSuffix()}`
    await get(ctx.app, `/v1/products?limit=100`)
    await rename(product.id, title)
    const page = (await get(ctx.app, `/v1/products?limit=100`)).json() as StorePage
    assert.equal(page.data.find((p) => p.id === product.id)?.title, title, 'the listing')
  })

  test('checkout of the last unit, then GET: inStock is false', async () => {
    const staff = auth.authorization.slice('Bearer '.length)
    const product = await createProduct(ctx, staff, { variants: [{ onHand: 1, price: 900 }] })
    const url = `/v1/products/${product.id}`
    assert.equal((await get(ctx.app, url)).json().variants[0].inStock, true)
    assert.equal((await get(ctx.app, url)).headers['x-cache'], 'hit')
    const shopper = await cartWith(ctx, [{ variantId: product.variants[0]!.id, quantity: 1 }])
    const order = await checkout(ctx, shopper)
    assert.equal(order.statusCode, 201, order.body)
    const after = await get(ctx.app, url)
    assert.equal(after.json().variants[0].inStock, false)
  })
})

describe(`another instance (${redis ? 'a second runtime sharing Redis' : 'a second app of the same runtime'})`, () => {
  test('sees the write within 1 s without any relay', async () => {
    const other = redis
      ? createRuntime(
          loadConfig({
            ...(process.env as Record<string, string>),
            SEED_DEMO: 'false',
            NATS_URL: '',
            CACHE_PREFIX,
            RATE_LIMIT_DEFAULT: '100000/60',
          }),
          createLogger('warn', { write: () => {} }),
          ctx.database,
        )
      : undefined
    const app = await (other ?? ctx.runtime).buildApp()
    await app.ready()
    try {
      const staff = auth.authorization.slice('Bearer '.length)
      const product = await createProduct(ctx, staff)
      const url = `/v1/products/${product.id}`
      await get(app, url)
      assert.equal((await get(app, url)).headers['x-cache'], 'hit')
      const title = `Elsewhere ${uniqueSuffix()}`
      await rename(product.id, title)
      const started = Date.now()
      let seen = (await get(app, url)).json().title
      while (seen !== title && Date.now() - started < 1000) {
        await sleep(20)
        seen = (await get(app, url)).json().title
      }
      assert.equal(seen, title, 'converged within 1 s')
    } finally {
      await app.close()
      await other?.relay.stop()
      await other?.closeConnections()
    }
  })
})
