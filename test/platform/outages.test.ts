import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import Fastify from 'fastify'
import pg from 'pg'
import { loadConfig } from '../../src/config.js'
import { openDatabase, type Database } from '../../src/platform/db/database.js'
import { isDatabaseUnavailable } from '../../src/platform/db/errors.js'
import { failoverPool, type FailoverPool } from '../../src/platform/db/replicas.js'
import { registerProblemHandlers } from '../../src/platform/http/problems.js'
import { degradations } from '../../src/platform/telemetry/degraded.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createRuntime, type Runtime } from '../../src/runtime.js'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, isolatedRedisKeys, type TestContext } from '../helpers/context.js'
import { throwawayPostgres } from '../helpers/database.js'
import { endpointOf, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js'

/**
 * Dependency outages under a running app: Redis or PostgreSQL reached through a TCP proxy that
 * the test cuts (open connections destroyed, new ones refused) and restores.
 */
const REDIS_URL = process.env.REDIS_URL
const DATABASE_URL = process.env.DATABASE_URL

let ctx: TestContext
let staff: string

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
})
after(() => ctx.close())

/** Another runtime and app on `database`, with these settings over the environment's. */
async function node(env: Record<string, string>, database: Database, cacheClock?: () => number) {
  const config = loadConfig({
    ...(process.env as Record<string, string>),
    SEED_DEMO: 'false',
    NATS_URL: '',
    ...isolatedRedisKeys(),
    ...env,
  })
  const runtime: Runtime = createRuntime(
    config,
    createLogger('warn', { write: () => {} }),
    database,
    {
      cacheClock,
    },
  )
  const app = await runtime.buildApp()
  await app.ready()
  return {
    app,
    get: (url: string) => app.inject({ method: 'GET', url }),
    async close() {
      await app.close()
      await runtime.relay.stop()
      await runtime.closeConnections()
    },
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  const value = await work()
  return { value, ms: performance.now() - started }
}

describe('database unreachable: the problem document', () => {
  test('a connection error is a 503 service_unavailable with Retry-After, never its message', async () => {
    const app = Fastify({ logger: false })
    registerProblemHandlers(app)
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), {
      code: 'ECONNREFUSED',
    })
    const errors = [
      refused,
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('the database system is shutting down'), { code: '57P03' }),
    ]
    let i = 0
    app.get('/boom', async () => {
      throw errors[i++]
    })
    for (const error of errors) {
      const res = await app.inject({ method: 'GET', url: '/boom' })
      assert.equal(res.statusCode, 503, error.message)
      assert.equal(res.headers['retry-after'], '5')
      assert.equal(res.json().code, 'service_unavailable')
      assert.ok(!res.body.includes(error.message), 'the driver message stays inside')
      assert.ok(!res.body.includes('10.1.2.3'))
    }
    assert.equal(isDatabaseUnavailable(new Error('syntax error at or near "selec"')), false)
    assert.equal(isDatabaseUnavailable({ code: '23505' }), false)
  })
})

if (REDIS_URL) {
  describe('Redis cut under a running app', () => {
    let proxy: TcpProxy
    before(async () => (proxy = await startTcpProxy(endpointOf(REDIS_URL, 6379))))
    after(() => proxy.close())

    test('requests answer fast, limits count in memory, and recovery follows', async () => {
      const n = await node(
        { REDIS_URL: proxy.url(REDIS_URL), RATE_LIMIT_DEFAULT: '8/60' },
        ctx.database,
      )
      try {
        const product = await createProduct(ctx, staff)
        assert.equal((await n.get(`/v1/products/${product.id}`)).statusCode, 200)
        proxy.cut()
        const first = await timed(() => n.get('/v1/products?limit=5'))
        assert.equal(first.value.statusCode, 200, first.value.body)
        assert.ok(first.ms < 1000, `answered in ${Math.round(first.ms)} ms`)
        const statuses: number[] = []
        for (let i = 0; i < 8; i++) {
          const { value, ms } = await timed(() => n.get(`/v1/products/${product.id}`))
          assert.ok(ms < 1000, `request ${i} answered in ${Math.round(ms)} ms`)
          statuses.push(value.statusCode)
        }
        // The insurance limiter counted from the cut on: 8 allowed, then 429.
        assert.ok(statuses.includes(429), `the limit still applies: ${statuses.join(',')}`)
        proxy.restore()
        const deadline = Date.now() + 5000
        let ready = await n.get('/readyz')
        while (ready.statusCode !== 200 && Date.now() < deadline) {
          await sleep(100)
          ready = await n.get('/readyz')
        }
        assert.equal(ready.statusCode, 200, 'Redis is back')
      } finally {
        await n.close()
      }
    })
  })
}

if (DATABASE_URL) {
  describe('PostgreSQL cut under a running app', () => {
    let proxy: TcpProxy
    let database: Database
    let drop: () => Promise<void>
    before(async () => {
      // A database of this describe's own, reached only through the proxy.
      const fresh = await throwawayPostgres(DATABASE_URL, { migrated: true })
      drop = fresh.drop
      proxy = await startTcpProxy(endpointOf(fresh.url, 5432))
      database = await openDatabase({ engine: 'postgres', url: proxy.url(fresh.url), poolSize: 3 })
    })
    after(async () => {
      await database.close()
      await proxy.close()
      await drop()
    })

    test('uncached reads are 503 with Retry-After; cached listings are served stale; recovery', async () => {
      let clock = performance.now()
      const n = await node({ CATALOG_CACHE_TTL_SECONDS: '1' }, database, () => clock)
      try {
        const listing = await n.get('/v1/products?limit=5')
        assert.equal(listing.statusCode, 200)
        assert.equal((await n.get('/v1/categories')).statusCode, 200)
        proxy.cut()
        clock += 5000 // past the TTL: only stale-if-error serves these now
        for (const url of ['/v1/products?limit=5', '/v1/categories']) {
          const stale = await n.get(url)
          assert.equal(stale.statusCode, 200, `${url}: ${stale.body}`)
          assert.equal(stale.headers['x-cache'], 'stale')
          assert.equal(stale.headers.warning, '110 - "Response is Stale"')
        }
        assert.equal((await n.get('/v1/products?limit=5')).body, listing.body)
        const uncached = await timed(() => n.get('/v1/products?limit=7'))
        assert.equal(uncached.value.statusCode, 503, uncached.value.body)
        assert.ok(uncached.ms < 6000)
        assert.equal(uncached.value.headers['retry-after'], '5')
        assert.equal(uncached.value.json().code, 'service_unavailable')
        assert.ok(!uncached.value.body.includes('ECONNREFUSED'))
        assert.equal((await n.get('/readyz')).statusCode, 503)
        proxy.restore()
        const back = await n.get('/v1/products?limit=7')
        assert.equal(back.statusCode, 200, back.body)
        assert.equal((await n.get('/readyz')).statusCode, 200)
      } finally {
        await n.close()
      }
    })
  })

  describe('a read replica that cannot be reached', () => {
    /** A replica pool through a cuttable proxy, failing over to a primary pool of its own. */
    /**
     * Runs `use` with a connection checked out of a replica pool that reaches PostgreSQL through a
     * cuttable proxy and fails over to a primary pool of its own; releases and closes all after.
     */
    const withReplicaClient = async (
      use: (c: { proxy: TcpProxy; pool: FailoverPool; client: pg.PoolClient }) => Promise<void>,
    ) => {
      const proxy = await startTcpProxy(endpointOf(DATABASE_URL, 5432))
      const replicaPool = new pg.Pool({ connectionString: proxy.url(DATABASE_URL), max: 1 })
      const primaryPool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 })
      replicaPool.on('connect', (client) => client.on('error', () => {}))
      const pool = failoverPool(replicaPool, primaryPool)
      const client = await pool.connect()
      try {
        await use({ proxy, pool, client })
      } finally {
        client.release(true)
        await pool.end()
        await primaryPool.end()
        await proxy.close()
      }
    }

    test('a read whose replica connection breaks mid-flight runs again on the primary', () =>
      withReplicaClient(async ({ proxy, pool, client }) => {
        assert.equal((await client.query('select 1 as n')).rows[0].n, 1)
        assert.equal(proxy.accepted, 1, 'the first read went through the replica')
        const outBefore = degradations.replicaOut
        proxy.cut() // the checked-out connection dies under it
        const again = await client.query('select $1::int as n', [2])
        assert.equal(again.rows[0].n, 2, 'the read was answered, by the primary')
        assert.equal(degradations.replicaOut, outBefore + 1)
        assert.equal(pool.healthy, false, 'the replica is out of rotation')
      }))

    test('a statement inside a replica transaction is not run again elsewhere', () =>
      withReplicaClient(async ({ proxy, client }) => {
        await client.query('begin')
        proxy.cut()
        await assert.rejects(client.query('select 1'), (error) => isDatabaseUnavailable(error))
      }))

    test('catalog reads go to the primary, and back to the replica once it answers', async () => {
      const fresh = await throwawayPostgres(DATABASE_URL, { migrated: true })
      const replica = await startTcpProxy(endpointOf(fresh.url, 5432))
      const closedPort = new URL(fresh.url)
      closedPort.port = '1'
      const database = await openDatabase({
        engine: 'postgres',
        url: fresh.url,
        replicaUrls: [replica.url(fresh.url), closedPort.toString()],
        poolSize: 2,
      })
      const n = await node({ CATALOG_CACHE_TTL_SECONDS: '0' }, database)
      try {
        const outBefore = degradations.replicaOut
        for (let i = 0; i < 6; i++) {
          const res = await n.get(`/v1/products?limit=${i + 1}`)
          assert.equal(res.statusCode, 200, res.body)
        }
        assert.ok(degradations.replicaOut > outBefore, 'the closed port was taken out')
        assert.ok(replica.accepted > 0, 'the reachable replica served reads')
        replica.cut()
        for (let i = 0; i < 6; i++) {
          const res = await n.get(`/v1/categories?i=${i}`)
          assert.equal(res.statusCode, 200, res.body)
        }
        replica.restore()
        const seen = replica.accepted
        const deadline = Date.now() + 8000
        while (replica.accepted === seen && Date.now() < deadline) {
          assert.equal((await n.get('/v1/products?limit=2')).statusCode, 200)
          await sleep(200)
        }
        assert.ok(replica.accepted > seen, 'the replica is back in rotation')
      } finally {
        await n.close()
        await database.close()
        await replica.close()
        await fresh.drop()
      }
    })
  })
}
