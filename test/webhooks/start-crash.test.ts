import assert from 'node:assert/strict'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import { productBody } from '../helpers/catalog.js'
import { engine } from '../helpers/context.js'
import { spawnRole } from '../helpers/process.js'
import { eventually, freePort } from '../platform/support.js'
import { startReceiver, type Receiver } from './support.js'

const ADMIN = { email: 'crash-admin@example.test', password: 'a long crash passphrase' }

/** An embedded `start` process on `dataDir`; resolves once it serves. */
async function startEmbedded(dataDir: string, port: number): Promise<ChildProcess> {
  const started = await spawnRole('start', {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    RATE_LIMIT_ENABLED: 'false',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  })
  return started.child
}

// PostgreSQL runs the split-role version (worker-crash.test.ts); embedded mode has one process.
if (engine === 'pglite') {
  describe('kill -9 of an embedded start process while events flow (PGlite only)', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'emporium-start-crash-'))
    const children: ChildProcess[] = []
    let receiver: Receiver

    before(async () => {
      receiver = await startReceiver()
    })
    after(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
      await receiver.close()
      rmSync(dataDir, { recursive: true, force: true })
    })

    test(
      'after a restart on the same data directory every acknowledged event is delivered',
      { timeout: 300_000 },
      async () => {
        const port = await freePort()
        const base = `http://127.0.0.1:${port}`
        const first = await startEmbedded(dataDir, port)
        children.push(first)
        const login = await fetch(`${base}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(ADMIN),
        })
        const { accessToken } = (await login.json()) as { accessToken: string }
        const post = async (url: string, body: object) => {
          const res = await fetch(`${base}${url}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
            body: JSON.stringify(body),
          })
          assert.equal(res.status, 201, await res.clone().text())
          return (await res.json()) as { id: string }
        }
        await post('/v1/admin/webhook-endpoints', {
          url: receiver.url,
          events: ['product.created'],
        })

        // Each 201 means the product and its event are committed; kill once deliveries flow.
        const created: string[] = []
        while (receiver.received.length < 3) {
          created.push((await post('/v1/admin/products', productBody())).id)
          if (created.length > 2000) throw new Error('no delivery arrived')
          await sleep(20)
        }
        first.kill('SIGKILL')
        if (first.exitCode === null && first.signalCode === null) {
          await new Promise((resolve) => first.once('exit', resolve))
        }
        assert.equal(first.signalCode, 'SIGKILL')

        children.push(await startEmbedded(dataDir, port))
        const productOf = (body: string) =>
          (JSON.parse(body) as { data: { productId: string } }).data.productId
        await eventually(
          () => {
            const got = new Set(receiver.received.map((r) => productOf(r.body)))
            return created.every((id) => got.has(id))
          },
          { timeoutMs: 240_000, intervalMs: 250, what: 'every acknowledged event to arrive' },
        )
        const webhookIds = new Map<string, Set<string>>()
        for (const r of receiver.received) {
          const ids = webhookIds.get(productOf(r.body)) ?? new Set()
          ids.add(String(r.headers['webhook-id']))
          webhookIds.set(productOf(r.body), ids)
        }
        assert.equal(webhookIds.size, created.length)
        assert.ok(
          [...webhookIds.values()].every((ids) => ids.size === 1),
          'one delivery per event: a re-run fanout creates no second one',
        )
      },
    )
  })
}
