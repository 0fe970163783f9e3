import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { loadConfig } from '../../src/config.js'
import { databaseOptions, openDatabase } from '../../src/platform/db/database.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createRuntime } from '../../src/runtime.js'
import { engine } from '../helpers/context.js'
import { productBody } from '../helpers/catalog.js'
import { spawnRole } from '../helpers/process.js'
import { freePort, throwawayDatabaseUrl } from '../platform/support.js'
import { ADDRESS } from './support.js'

const ADMIN = { email: 'crash-admin@example.test', password: 'correct horse battery staple 9' }
const cleanups: (() => Promise<void> | void)[] = []
after(async () => {
  for (const c of cleanups.reverse()) await c()
})

/** A real server process on its own database; dies by SIGKILL at `failpoint`. */
async function serverWithFailpoint(failpoint: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'emporium-crash-'))
  const database = await throwawayDatabaseUrl()
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
  if (database) cleanups.push(database.drop)
  const port = await freePort()
  const env = {
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    ...(database ? { DATABASE_URL: database.url } : {}),
  }
  const server = await spawnRole('start', {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    EMPORIUM_FAILPOINTS: failpoint,
  })
  const { child } = server
  cleanups.push(() => void (child.exitCode === null && child.kill('SIGKILL')))
  const exited = server.exited.then(({ signal }) => signal)
  const base = `http://127.0.0.1:${port}`
  return { base, env, exited }
}

async function json(base: string, method: string, url: string, body?: object, headers = {}) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

/** Logs in, creates a product with 3 units, fills a guest cart with 2; returns the ids. */
async function prepare(base: string) {
  const login = await json(base, 'POST', '/v1/auth/login', ADMIN)
  const auth = { authorization: `Bearer ${String(login.body.accessToken)}` }
  const product = await json(
    base,
    'POST',
    '/v1/admin/products',
    productBody({ variants: [{ onHand: 3 }] }),
    auth,
  )
  const variantId = (product.body.variants as { id: string }[])[0]!.id
  const cart = await json(base, 'POST', '/v1/carts', { currency: 'EUR' })
  const token = { 'x-cart-token': String(cart.body.token) }
  await json(
    base,
    'POST',
    `/v1/carts/${String(cart.body.id)}/items`,
    { variantId, quantity: 2 },
    token,
  )
  return { variantId, cartId: String(cart.body.id), token }
}

/** The same database, opened again by a new process after the crash (here: in this one). */
async function reopen(env: Record<string, string>) {
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent', NATS_URL: '', REDIS_URL: '' })
  const logger = createLogger('silent')
  const database = await openDatabase(databaseOptions(config))
  const runtime = createRuntime(config, logger, database)
  cleanups.push(async () => {
    await runtime.relay.stop()
    await database.close()
  })
  return runtime
}

describe(`kill -9 during checkout (${engine})`, () => {
  for (const [failpoint, expected] of [
    ['checkout.after-order', { status: 'cancelled', onHand: 3 }],
    ['checkout.after-payment', { status: 'paid', onHand: 1 }],
  ] as const) {
    test(
      `a crash at ${failpoint} is finished by the reconciliation: ${expected.status}`,
      { timeout: 120_000 },
      async () => {
        const server = await serverWithFailpoint(failpoint)
        const { variantId, cartId, token } = await prepare(server.base)
        const reply = await fetch(`${server.base}/v1/carts/${cartId}/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...token },
          body: JSON.stringify({
            email: 'crash@example.test',
            shippingAddress: ADDRESS,
            payment: { method: 'card', token: 'tok_visa' },
          }),
        }).catch((err: Error) => err)
        assert.ok(reply instanceof Error, 'the connection died with the process')
        assert.equal(await server.exited, 'SIGKILL')

        const runtime = await reopen(server.env)
        const { orders, inventory, flows } = runtime.modules
        const [pending] = await orders.service.awaitingPayment(new Date(Date.now() + 60_000), 10)
        assert.ok(pending, 'the crash left an order awaiting payment')
        assert.equal(
          (await inventory.service.getLevel(variantId)).reserved,
          2,
          'with its stock held',
        )
        const counts = await flows.settlement.reconcileStale(new Date(Date.now() + 60_000))
        assert.equal(counts.paid + counts.cancelled, 1)
        const order = await orders.service.adminGet(pending)
        assert.equal(order.status, expected.status)
        const level = await inventory.service.getLevel(variantId)
        assert.deepEqual([level.onHand, level.reserved], [expected.onHand, 0])
        const payment = await runtime.modules.payments.providers.byName('test').lookup(pending)
        if (expected.status === 'paid') assert.equal(payment?.status, 'captured')
        else assert.equal(payment, undefined, 'never charged')
        // A second pass finds nothing left to do.
        const again = await flows.settlement.reconcileStale(new Date(Date.now() + 60_000))
        assert.equal(again.paid + again.cancelled, 0)
      },
    )
  }
})
