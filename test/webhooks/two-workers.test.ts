import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { connect } from 'nats'
import { loadConfig } from '../../src/config.js'
import { openDatabase, type Database } from '../../src/platform/db/database.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createRuntime, migrateDatabase, type Runtime } from '../../src/runtime.js'
import { productBody } from '../helpers/catalog.js'
import { engine, openTestDatabase, uniqueSuffix } from '../helpers/context.js'
import { eventually, throwawayDatabaseUrl } from '../platform/support.js'
import { startReceiver, type Receiver } from './support.js'

const natsUrl = process.env.NATS_URL
const bus = natsUrl ? 'NATS JetStream' : 'the in-process bus'

interface Worker {
  runtime: Runtime
  app: FastifyInstance
}

describe(`two workers on one ${engine} database with ${bus}`, () => {
  const suffix = uniqueSuffix()
  const jetStream = { stream: `EMPORIUM_TEST_${suffix}`, subjectPrefix: `emporium.test.${suffix}` }
  const databases: Database[] = []
  const workers: Worker[] = []
  const receivers: Receiver[] = []
  let drop: () => Promise<void> = async () => {}
  let token: string

  before(async () => {
    const config = loadConfig({
      SEED_DEMO: 'false',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      RATE_LIMIT_ENABLED: 'false',
      ...(natsUrl ? { NATS_URL: natsUrl } : {}),
    })
    const silent = createLogger('warn', { write: () => {} })
    // On PostgreSQL each worker has its own pool, as separate processes would; PGlite is one.
    const throwaway = await throwawayDatabaseUrl()
    if (throwaway) {
      drop = throwaway.drop
      for (let i = 0; i < 2; i++) {
        databases.push(await openDatabase({ engine: 'postgres', url: throwaway.url, poolSize: 5 }))
      }
    } else {
      const test = await openTestDatabase()
      databases.push(test.database, test.database)
    }
    await migrateDatabase(databases[0]!, silent)
    for (const database of databases) {
      const runtime = createRuntime(config, silent, database, { jetStream })
      const app = await runtime.buildApp()
      await app.ready()
      workers.push({ runtime, app })
    }
    for (const { runtime } of workers) {
      await runtime.jobs.start({ work: true })
      await runtime.bus.start()
      runtime.relay.start()
    }
    const email = `admin-${suffix}@example.test`
    const password = `correct horse ${suffix}`
    const auth = workers[0]!.runtime.modules.auth.service
    await auth.createUser({ email, password, name: 'Admin', role: 'admin' })
    const login = await workers[0]!.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password },
    })
    token = (login.json() as { accessToken: string }).accessToken
  })

  after(async () => {
    for (const { app, runtime } of workers) {
      await app.close()
      await runtime.relay.stop()
      await runtime.jobs.stop(5000)
      await runtime.closeConnections()
    }
    for (const database of new Set(databases)) await database.close()
    await drop()
    for (const r of receivers) await r.close()
    if (natsUrl) {
      const nc = await connect({ servers: natsUrl })
      await (await nc.jetstreamManager()).streams.delete(jetStream.stream).catch(() => false)
      await nc.close()
    }
  })

  const call = (w: Worker, method: 'GET' | 'POST', url: string, payload?: object) =>
    w.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    })

  async function endpoint(w: Worker): Promise<{ id: string; receiver: Receiver }> {
    const receiver = await startReceiver()
    receivers.push(receiver)
    const res = await call(w, 'POST', '/v1/admin/webhook-endpoints', {
      url: receiver.url,
      events: ['product.created'],
    })
    assert.equal(res.statusCode, 201, res.body)
    return { id: (res.json() as { id: string }).id, receiver }
  }

  /** Everything delivered and nothing left to do: each delivery succeeded, the outbox is empty. */
  async function settled(database: Database, endpointIds: string[], perEndpoint: number) {
    const { rows } = await sql<{ n: number; done: number }>`
      select count(*)::int as n, count(*) filter (where status = 'succeeded')::int as done
      from webhooks.delivery where endpoint_id in (${sql.join(endpointIds)})`.execute(database.db)
    const pending = await sql<{ n: number }>`
      select count(*)::int as n from platform.outbox where published_at is null`.execute(
      database.db,
    )
    const expected = endpointIds.length * perEndpoint
    return rows[0]?.n === expected && rows[0].done === expected && pending.rows[0]?.n === 0
  }

  function countByWebhookId(receiver: Receiver): Map<string, number> {
    const counts = new Map<string, number>()
    for (const r of receiver.received) {
      const id = String(r.headers['webhook-id'])
      counts.set(id, (counts.get(id) ?? 0) + 1)
    }
    return counts
  }

  test(
    'events produced on both reach each endpoint exactly once',
    { timeout: 120_000 },
    async () => {
      const [a, b] = [workers[0]!, workers[1]!]
      const hooks = [await endpoint(a), await endpoint(b)]
      const N = 20
      const created = await Promise.all(
        Array.from({ length: N }, async (_, i) => {
          const res = await call(i % 2 ? a : b, 'POST', '/v1/admin/products', productBody())
          assert.equal(res.statusCode, 201, res.body)
          return (res.json() as { id: string }).id
        }),
      )
      const ids = hooks.map((h) => h.id)
      await eventually(() => settled(databases[0]!, ids, N), {
        timeoutMs: 90_000,
        intervalMs: 200,
        what: 'every delivery to succeed',
      })
      for (const { receiver } of hooks) {
        const counts = countByWebhookId(receiver)
        assert.equal(counts.size, N, 'one webhook-id per event')
        assert.deepEqual([...new Set(counts.values())], [1], 'each webhook-id arrived once')
        const products = receiver.received.map(
          (r) => (JSON.parse(r.body) as { data: { productId: string } }).data.productId,
        )
        assert.deepEqual(products.sort(), [...created].sort())
      }
    },
  )

  test(
    'the same attempt raced by both workers and the queue is sent once',
    { timeout: 120_000 },
    async () => {
      const [a, b] = [workers[0]!, workers[1]!]
      const hook = await endpoint(a)
      const res = await call(b, 'POST', '/v1/admin/products', productBody())
      assert.equal(res.statusCode, 201, res.body)
      const delivery = await eventually(
        async () => {
          const { rows } = await sql<{ id: string }>`select id from webhooks.delivery
          where endpoint_id = ${hook.id}`.execute(databases[1]!.db)
          return rows[0]?.id
        },
        { timeoutMs: 30_000, what: 'the delivery' },
      )
      // Its queued job runs too; and both workers are asked to make attempt 1 at the same time.
      await Promise.all(
        [a, b, a, b].map((w) =>
          w.runtime.modules.webhooks.deliveries.deliver({ deliveryId: delivery, attempt: 0 }),
        ),
      )
      await eventually(() => settled(databases[0]!, [hook.id], 1), {
        timeoutMs: 30_000,
        what: 'the delivery to succeed',
      })
      assert.deepEqual([...countByWebhookId(hook.receiver)], [[delivery, 1]])
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from webhooks.attempt
      where delivery_id = ${delivery}`.execute(databases[0]!.db)
      assert.equal(rows[0]?.n, 1, 'one attempt recorded')
    },
  )
})
