import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createJobs } from '../../src/platform/jobs/jobs.js'
import { createMetrics } from '../../src/platform/telemetry/metrics.js'
import { startMetricsServer } from '../../src/platform/telemetry/metrics-server.js'
import { cartWith, checkout, stockedVariant } from '../checkout/support.js'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { adminRequest, startReceiver, type Receiver } from '../webhooks/support.js'
import { spawnRole } from '../helpers/process.js'
import { parseExposition, valueOf } from '../helpers/prometheus.js'
import { eventually, freePort, throwawayDatabaseUrl } from './support.js'

/** Every series docs/operations.md promises, a few of prom-client's default ones included. */
const SERIES = [
  'process_resident_memory_bytes',
  'process_cpu_seconds_total',
  'nodejs_heap_size_used_bytes',
  'nodejs_eventloop_lag_p99_seconds',
  'http_request_duration_seconds',
  'emporium_outbox_pending',
  'emporium_outbox_lag_seconds',
  'emporium_checkouts_total',
  'emporium_orders_total',
  'emporium_webhook_deliveries_total',
  'emporium_webhook_endpoints_disabled',
  'emporium_cache_requests_total',
  'emporium_rate_limit_rejections_total',
  'emporium_db_query_duration_seconds',
  'emporium_db_pool_connections',
  'emporium_job_queue_depth',
  'emporium_job_failures_total',
]

/** Real Redis for the caches and rate limits when the run has one. */
const redis: Record<string, string> = process.env.REDIS_URL
  ? { REDIS_URL: process.env.REDIS_URL }
  : {}

const TOKEN = 'scrape-token-0123456789abcdef'

describe(`metrics on ${engine}`, () => {
  let ctx: TestContext
  let receiver: Receiver

  before(async () => {
    ctx = await createTestContext({ ...redis, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' })
    await ctx.runtime.jobs.start({ work: false })
    receiver = await startReceiver()
  })
  after(async () => {
    await ctx.close()
    await receiver.close()
  })

  async function scrape(target = ctx, headers: Record<string, string> = {}) {
    const res = await target.app.inject({ method: 'GET', url: '/metrics', headers })
    assert.equal(res.statusCode, 200, res.body)
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/)
    return { text: res.body, samples: parseExposition(res.body) }
  }

  test('after a checkout and a webhook delivery, /metrics has every series', async () => {
    const admin = await ctx.tokenFor('admin')
    const call = adminRequest(ctx, admin)
    const created = await call('POST', '/v1/admin/webhook-endpoints', {
      url: receiver.url,
      events: ['order.paid'],
    })
    assert.equal(created.statusCode, 201, created.body)

    const variantId = await stockedVariant(ctx, await ctx.tokenFor('staff'), 5)
    const shopper = await cartWith(ctx, [{ variantId, quantity: 1 }])
    const read = await ctx.app.inject({
      method: 'GET',
      url: `/v1/carts/${shopper.cartId}`,
      headers: { 'x-cart-token': shopper.cartToken! },
    })
    assert.equal(read.statusCode, 200, read.body)
    const paid = await checkout(ctx, shopper)
    assert.equal(paid.statusCode, 201, paid.body)
    for (let i = 0; i < 2; i++) {
      const products = await ctx.app.inject({ method: 'GET', url: '/v1/products' })
      assert.equal(products.statusCode, 200, products.body)
    }

    const before = await scrape()
    assert.ok(valueOf(before.samples, 'emporium_outbox_pending')! >= 1, 'events wait unpublished')
    assert.ok(valueOf(before.samples, 'emporium_outbox_lag_seconds')! >= 0)

    await ctx.runtime.relay.drain()
    const { rows } = await sql<{ data: { deliveryId: string; attempt: number } }>`
      select data from pgboss.job where name = 'webhooks.deliver'`.execute(ctx.database.db)
    assert.equal(rows.length, 1)
    await ctx.runtime.modules.webhooks.deliveries.deliver(rows[0]!.data)
    assert.equal(receiver.received.length, 1)

    const { text, samples } = await scrape()
    for (const name of SERIES) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is exposed`)
    }
    assert.ok(valueOf(samples, 'emporium_checkouts_total', { outcome: 'paid' })! >= 1)
    assert.ok(valueOf(samples, 'emporium_orders_total', { status: 'paid' })! >= 1)
    assert.ok(valueOf(samples, 'emporium_orders_total', { status: 'pending_payment' })! >= 1)
    assert.ok(valueOf(samples, 'emporium_webhook_deliveries_total', { outcome: 'succeeded' })! >= 1)
    assert.equal(valueOf(samples, 'emporium_webhook_endpoints_disabled'), 0)
    assert.ok(valueOf(samples, 'emporium_cache_requests_total', { cache: 'catalog' })! >= 1, text)
    assert.ok(valueOf(samples, 'emporium_db_query_duration_seconds_count', { engine })! > 0)
    assert.equal(valueOf(samples, 'emporium_outbox_pending'), 0, 'the relay published them')
    assert.equal(valueOf(samples, 'emporium_outbox_lag_seconds'), 0)
    assert.ok(valueOf(samples, 'emporium_db_pool_connections', { state: 'total' })! >= 1)
    // The delivery ran by hand above: its pg-boss job (nobody works the queue here) still waits.
    assert.equal(valueOf(samples, 'emporium_job_queue_depth', { queue: 'webhooks.deliver' }), 1)
    assert.equal(
      valueOf(samples, 'emporium_job_queue_depth', { queue: 'platform.prune-outbox' }),
      0,
    )

    const routes = new Set(
      samples
        .filter((s) => s.name === 'http_request_duration_seconds_count')
        .map((s) => s.labels.route),
    )
    assert.ok(routes.has('/v1/carts/:id'), [...routes].join(' '))
    assert.ok(routes.has('/v1/carts/:id/checkout'), [...routes].join(' '))
    assert.ok(![...routes].some((r) => r?.includes(shopper.cartId)), 'no raw ids in routes')
    const checkoutCount = valueOf(samples, 'http_request_duration_seconds_count', {
      method: 'POST',
      route: '/v1/carts/:id/checkout',
      status_code: '201',
    })
    assert.equal(checkoutCount, 1)
  })

  test('a declined card and too little stock count as their own checkout outcomes', async () => {
    const variantId = await stockedVariant(ctx, await ctx.tokenFor('staff'), 1)
    const declined = await checkout(
      ctx,
      await cartWith(ctx, [{ variantId, quantity: 1 }]),
      'tok_declined',
    )
    assert.equal(declined.statusCode, 402, declined.body)
    const short = await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 2 }]))
    assert.equal(short.statusCode, 409, short.body)
    const { samples } = await scrape()
    assert.equal(valueOf(samples, 'emporium_checkouts_total', { outcome: 'declined' }), 1)
    assert.equal(valueOf(samples, 'emporium_checkouts_total', { outcome: 'out_of_stock' }), 1)
    assert.ok(valueOf(samples, 'emporium_orders_total', { status: 'cancelled' })! >= 1)
  })

  test('an unmatched path counts as route "unmatched"; a bearer is not read as a user token', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/no/such/path/ord_123' })
    assert.equal(res.statusCode, 404)
    const { samples } = await scrape(ctx, { authorization: 'Bearer not-a-user-token' })
    assert.ok(valueOf(samples, 'http_request_duration_seconds_count', { route: 'unmatched' })! >= 1)
  })

  test('a job handler that throws counts in emporium_job_failures_total', async () => {
    // A pg-boss worker of its own on the same database, with a queue nobody else works.
    const metrics = createMetrics({ defaultMetrics: false })
    const jobs = createJobs(ctx.database, ctx.runtime.logger, metrics)
    const queue = `test.fails-${uniqueSuffix()}`
    jobs.define({
      name: queue,
      retryLimit: 0,
      handler: async () => {
        throw new Error('this job always fails')
      },
    })
    await jobs.start({ work: true })
    try {
      await jobs.send(queue, {})
      await eventually(
        async () =>
          valueOf(parseExposition((await metrics.scrape()).body), 'emporium_job_failures_total', {
            queue,
          }) === 1,
        { what: 'the failure to be counted' },
      )
      // Counted as the handler throws; pg-boss marks the job failed just after.
      await eventually(
        async () =>
          valueOf(parseExposition((await metrics.scrape()).body), 'emporium_job_queue_depth', {
            queue,
          }) === 0,
        { what: 'the failed job (no retries) to leave the queue depth' },
      )
    } finally {
      await jobs.stop()
    }
  })
})

describe(`metrics with METRICS_TOKEN and rate limits on ${engine}`, () => {
  let ctx: TestContext
  before(async () => {
    ctx = await createTestContext({ ...redis, METRICS_TOKEN: TOKEN, RATE_LIMIT_DEFAULT: '2/60' })
  })
  after(() => ctx.close())

  const get = (headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'GET', url: '/metrics', headers })

  test('401 problem without the token or with a wrong one, 200 with it', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: TOKEN },
    ]
    for (const headers of attempts) {
      const res = await get(headers)
      assert.equal(res.statusCode, 401, res.body)
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/)
      assert.equal(res.json().code, 'unauthenticated')
    }
    const ok = await get({ authorization: `Bearer ${TOKEN}` })
    assert.equal(ok.statusCode, 200, ok.body)
    assert.match(ok.body, /^# TYPE emporium_outbox_pending gauge$/m)
    const openapi = await ctx.app.inject({ method: 'GET', url: '/openapi.json' })
    assert.ok(!('/metrics' in (openapi.json() as { paths: object }).paths), 'hidden from OpenAPI')
  })

  test('a rate-limited request increments emporium_rate_limit_rejections_total', async () => {
    // The quota is 2 a minute: the third anonymous request at the latest is refused.
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) {
      statuses.push((await ctx.app.inject({ method: 'GET', url: '/v1/products' })).statusCode)
    }
    assert.equal(statuses.at(-1), 429)
    const res = await get({ authorization: `Bearer ${TOKEN}` })
    assert.equal(res.statusCode, 200, 'scrapes are never limited')
    const rejected = valueOf(parseExposition(res.body), 'emporium_rate_limit_rejections_total', {
      policy: 'default',
    })
    assert.equal(rejected, statuses.filter((s) => s === 429).length)
  })

  test("the worker's metrics server answers /metrics (same token rule) and /livez", async () => {
    const server = await startMetricsServer({
      metrics: ctx.runtime.metrics,
      port: 0,
      host: '127.0.0.1',
      token: TOKEN,
      logger: ctx.runtime.logger,
    })
    try {
      const base = `http://127.0.0.1:${server.port}`
      const live = await fetch(`${base}/livez`)
      assert.equal(live.status, 200)
      assert.deepEqual(await live.json(), { status: 'ok' })
      const refused = await fetch(`${base}/metrics`)
      assert.equal(refused.status, 401)
      assert.equal(((await refused.json()) as { code: string }).code, 'unauthenticated')
      const scraped = await fetch(`${base}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
      assert.equal(scraped.status, 200)
      assert.match(String(scraped.headers.get('content-type')), /^text\/plain; version=0\.0\.4/)
      const text = await scraped.text()
      for (const name of SERIES) assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'))
      assert.equal((await fetch(`${base}/nothing`)).status, 404)
    } finally {
      await server.close()
    }
    await assert.rejects(fetch(`http://127.0.0.1:${server.port}/livez`), 'closed')
  })
})

// Worker processes refuse PGlite (it lives in one process), so this runs on PostgreSQL only.
if (engine === 'postgres') {
  describe('the worker role serves its metrics on METRICS_PORT (PostgreSQL only)', () => {
    test('GET /livez and /metrics with the token, closed at shutdown', async () => {
      const throwaway = (await throwawayDatabaseUrl({ migrated: true }))!
      const dataDir = mkdtempSync(path.join(tmpdir(), 'emporium-metrics-'))
      const port = await freePort()
      const worker = await spawnRole('worker', {
        DATABASE_URL: throwaway.url,
        DATA_DIR: dataDir,
        METRICS_PORT: String(port),
        METRICS_TOKEN: TOKEN,
      })
      try {
        const base = `http://127.0.0.1:${port}`
        assert.deepEqual(await (await fetch(`${base}/livez`)).json(), { status: 'ok' })
        assert.equal((await fetch(`${base}/metrics`)).status, 401)
        const scraped = await fetch(`${base}/metrics`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
        assert.equal(scraped.status, 200)
        const samples = parseExposition(await scraped.text())
        assert.ok(valueOf(samples, 'emporium_db_query_duration_seconds_count', { engine })! > 0)
        assert.ok(valueOf(samples, 'emporium_job_queue_depth', { queue: 'webhooks.deliver' }) === 0)
        worker.child.kill('SIGTERM')
        assert.equal((await worker.exited).code, 0)
        await assert.rejects(fetch(`${base}/livez`), 'closed with the process')
      } finally {
        if (worker.child.exitCode === null) worker.child.kill('SIGKILL')
        await throwaway.drop()
        rmSync(dataDir, { recursive: true, force: true })
      }
    })
  })
}
