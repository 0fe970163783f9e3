import assert from 'node:assert/strict'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { loadConfig } from '../../src/config.js'
import { openDatabase, type Database } from '../../src/platform/db/database.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createRuntime, type Runtime } from '../../src/runtime.js'
import { productBody } from '../helpers/catalog.js'
import { engine, uniqueSuffix } from '../helpers/context.js'
import { spawnRole } from '../helpers/process.js'
import { eventually, throwawayDatabaseUrl } from '../platform/support.js'
import { startReceiver, type Receiver } from './support.js'

/** A `worker` process on the database; resolves once it says it is running. */
async function startWorker(databaseUrl: string, dataDir: string): Promise<ChildProcess> {
  const started = await spawnRole(
    'worker',
    { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' },
    { timeoutMs: 60_000 },
  )
  return started.child
}

// Worker processes refuse PGlite (it lives in one process), so this runs on PostgreSQL only.
if (engine === 'postgres') {
  describe('kill -9 of a worker process while events flow (PostgreSQL only)', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'emporium-crash-'))
    const children: ChildProcess[] = []
    let throwaway: { url: string; drop: () => Promise<void> }
    let database: Database
    let runtime: Runtime
    let app: FastifyInstance
    let receiver: Receiver
    let token: string

    before(async () => {
      throwaway = (await throwawayDatabaseUrl({ migrated: true }))!
      database = await openDatabase({ engine: 'postgres', url: throwaway.url, poolSize: 5 })
      const silent = createLogger('warn', { write: () => {} })
      // The API side: it commits changes and their events, and relays or delivers nothing.
      const config = loadConfig({
        SEED_DEMO: 'false',
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        RATE_LIMIT_ENABLED: 'false',
      })
      runtime = createRuntime(config, silent, database, { consume: false })
      app = await runtime.buildApp()
      await app.ready()
      const suffix = uniqueSuffix()
      const email = `admin-${suffix}@example.test`
      const password = `correct horse ${suffix}`
      await runtime.modules.auth.service.createUser({ email, password, name: 'A', role: 'admin' })
      const login = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email, password },
      })
      token = (login.json() as { accessToken: string }).accessToken
      receiver = await startReceiver()
    })

    after(async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
      await app.close()
      await runtime.closeConnections()
      await database.close()
      await throwaway.drop()
      await receiver.close()
      rmSync(dataDir, { recursive: true, force: true })
    })

    const post = (url: string, payload: object) =>
      app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload })

    test(
      'a second worker delivers every committed event; one delivery per event, no event lost',
      { timeout: 300_000 },
      async () => {
        const hook = await post('/v1/admin/webhook-endpoints', {
          url: receiver.url,
          events: ['product.created'],
        })
        assert.equal(hook.statusCode, 201, hook.body)
        const endpointId = (hook.json() as { id: string }).id

        const first = await startWorker(throwaway.url, dataDir)
        children.push(first)
        const created: string[] = []
        let killedAt = -1
        // Products keep coming; once deliveries flow, the worker is killed mid-stream.
        while (killedAt < 0 || created.length < killedAt + 10) {
          const res = await post('/v1/admin/products', productBody())
          assert.equal(res.statusCode, 201, res.body)
          created.push((res.json() as { id: string }).id)
          if (killedAt < 0 && receiver.received.length >= 3) {
            first.kill('SIGKILL')
            killedAt = created.length
          }
          if (killedAt < 0 && created.length > 2000) throw new Error('no delivery arrived')
          await sleep(20)
        }
        const exited = first.exitCode !== null || first.signalCode !== null
        if (!exited) await new Promise((resolve) => first.once('exit', resolve))
        assert.equal(first.signalCode, 'SIGKILL')
        const deliveredBeforeRestart = receiver.received.length
        assert.ok(deliveredBeforeRestart < created.length, 'the kill left work undone')

        children.push(await startWorker(throwaway.url, dataDir))
        const productOf = (body: string) =>
          (JSON.parse(body) as { data: { productId: string } }).data.productId
        await eventually(
          () => {
            const got = new Set(receiver.received.map((r) => productOf(r.body)))
            return created.every((id) => got.has(id))
          },
          { timeoutMs: 240_000, intervalMs: 250, what: 'every committed event to arrive' },
        )

        // An event the dead worker had fanned out but not marked is relayed again once its lease
        // ends: wait for that too, so the redelivery's (lack of) effect is part of what is checked.
        await eventually(
          async () => {
            const { rows } = await sql<{ n: number }>`select count(*)::int as n
              from platform.outbox where published_at is null`.execute(database.db)
            return rows[0]?.n === 0
          },
          { timeoutMs: 120_000, intervalMs: 250, what: 'the outbox to be fully published' },
        )
        // At least once at the receiver; exactly one delivery (one webhook-id) per event.
        const { rows } = await sql<{ event_id: string; n: number; ids: number }>`
          select event_id, count(*)::int as n, count(distinct id)::int as ids
          from webhooks.delivery where endpoint_id = ${endpointId} group by event_id`.execute(
          database.db,
        )
        assert.equal(rows.length, created.length)
        assert.ok(rows.every((r) => r.n === 1))
        const webhookIds = new Map<string, Set<string>>()
        for (const r of receiver.received) {
          const ids = webhookIds.get(productOf(r.body)) ?? new Set()
          ids.add(String(r.headers['webhook-id']))
          webhookIds.set(productOf(r.body), ids)
        }
        assert.equal(webhookIds.size, created.length)
        assert.ok(
          [...webhookIds.values()].every((ids) => ids.size === 1),
          'a redelivered event keeps its webhook-id, so the receiver can drop the repeat',
        )
        const fanned = await sql<{ n: number }>`select count(*)::int as n
          from platform.processed_event where consumer = 'webhooks.fanout'`.execute(database.db)
        assert.equal(fanned.rows[0]?.n, created.length, 'each event fanned out once')
      },
    )
  })
}
