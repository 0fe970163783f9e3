import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { connect } from 'nats'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createRuntime, type Runtime } from '../../src/runtime.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { cartWith, checkout, stockedVariant, type OrderBody } from '../checkout/support.js'

// Issue 9, finding 2: order event streams are bounded per caller, end with the caller's session
// and after their lifetime, and are woken by the event bus (across instances with NATS).

let ctx: TestContext
let staff: string
let app: FastifyInstance
let base: string

before(async () => {
  ctx = await createTestContext({ ORDER_STREAM_RECHECK_MS: '100', ORDER_STREAM_MAX_SECONDS: '2' })
  staff = await ctx.tokenFor('staff')
  app = await ctx.runtime.buildApp()
  base = await app.listen({ port: 0, host: '127.0.0.1' })
})
after(async () => {
  await app.close()
  await ctx.close()
})

async function guestOrder() {
  const variantId = await stockedVariant(ctx, staff, 1)
  const res = await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 1 }]))
  return res.json() as { order: OrderBody; orderToken: string }
}

/** Opens a stream; `ended` resolves with the ms it stayed open once the server closes it. */
async function openStream(url: string, headers: Record<string, string>, root = base) {
  const controller = new AbortController()
  const opened = Date.now()
  const res = await fetch(`${root}${url}`, { headers, signal: controller.signal })
  const text: string[] = []
  const ended =
    res.status === 200
      ? (async () => {
          const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
          for (;;) {
            const { value, done } = await reader.read().catch(() => ({ value: '', done: true }))
            if (done) return Date.now() - opened
            text.push(value)
          }
        })()
      : Promise.resolve(0)
  return { res, ended, text, close: () => controller.abort() }
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms),
    ),
  ])
}

describe(`order stream limits (${engine})`, () => {
  test('a caller holds at most 5 streams of one order; the 6th is a 429 problem', async () => {
    const { order, orderToken } = await guestOrder()
    const url = `/v1/orders/${order.id}/events`
    const headers = { 'x-order-token': orderToken }
    const streams = []
    for (let i = 0; i < 5; i++) {
      const s = await openStream(url, headers)
      assert.equal(s.res.status, 200)
      streams.push(s)
    }
    const sixth = await openStream(url, headers)
    assert.equal(sixth.res.status, 429)
    assert.match(String(sixth.res.headers.get('content-type')), /^application\/problem\+json/)
    assert.equal(((await sixth.res.json()) as { code: string }).code, 'too_many_streams')

    // A slot frees when a stream closes (once the server has seen the connection go).
    streams[0]!.close()
    let again = await openStream(url, headers)
    for (let i = 0; i < 20 && again.res.status === 429; i++) {
      await new Promise((r) => setTimeout(r, 100))
      again = await openStream(url, headers)
    }
    assert.equal(again.res.status, 200)
    again.close()
    for (const s of streams.slice(1)) s.close()
  })

  test('logout-all ends the stream of the signed-in customer', async () => {
    const customer = await ctx.tokenFor('customer')
    const variantId = await stockedVariant(ctx, staff, 1)
    const placed = await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 1 }], customer))
    const { order } = placed.json() as { order: OrderBody }
    const auth = { authorization: `Bearer ${customer}` }
    const stream = await openStream(`/v1/orders/${order.id}/events`, auth)
    assert.equal(stream.res.status, 200)
    const logout = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/logout-all',
      headers: auth,
    })
    assert.equal(logout.statusCode, 204)
    // The lifetime is 2 s; the re-check (every 100 ms) ends it well before.
    const open = await within(stream.ended, 1500, 'the stream ending after logout-all')
    assert.ok(open < 1500, `open ${open} ms`)
  })

  test('a stream ends after its lifetime; the client resumes with Last-Event-ID', async () => {
    const { order, orderToken } = await guestOrder()
    const url = `/v1/orders/${order.id}/events`
    const stream = await openStream(url, { 'x-order-token': orderToken })
    assert.equal(stream.res.status, 200)
    const open = await within(stream.ended, 5000, 'the stream ending at its lifetime')
    assert.ok(open >= 1900, `open only ${open} ms`)
    assert.match(stream.text.join(''), /id: 2\nevent: order.paid/)

    const resumed = await openStream(url, { 'x-order-token': orderToken, 'last-event-id': '2' })
    assert.equal(resumed.res.status, 200)
    await new Promise((r) => setTimeout(r, 300))
    resumed.close()
    assert.doesNotMatch(resumed.text.join(''), /event: order\./)
  })
})

// Two processes share events only through NATS; on the embedded engine there is one process.
const natsUrl = process.env.NATS_URL
if (natsUrl) {
  describe(`order streams across two instances (${engine}, NATS)`, () => {
    const instances: { runtime: Runtime; app: FastifyInstance; base: string }[] = []
    const suffix = `${process.pid}_${Date.now()}`
    const jetStream = { stream: `EDGE_SSE_${suffix}`, subjectPrefix: `edge.sse.${suffix}` }
    before(async () => {
      // Instance A (API, relay) and an API-only instance B, on one database and one NATS; B's
      // streams never re-read on a timer, so only the bus can wake them.
      const config = {
        ...ctx.config,
        natsUrl,
        orderStreams: { maxLifetimeMs: 60_000, recheckMs: 60_000 },
      }
      for (const consume of [true, false]) {
        const logger = createLogger('silent')
        const runtime = createRuntime(config, logger, ctx.database, { consume, jetStream })
        const app = await runtime.buildApp()
        instances.push({ runtime, app, base: await app.listen({ port: 0, host: '127.0.0.1' }) })
      }
    })
    after(async () => {
      for (const { runtime, app } of instances) {
        await app.close()
        await runtime.closeConnections()
      }
      const nc = await connect({ servers: natsUrl })
      await (await nc.jetstreamManager()).streams.delete(jetStream.stream).catch(() => false)
      await nc.close()
    })

    test('an order fulfilled through instance A wakes its stream on instance B', async () => {
      const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]]
      const { order, orderToken } = await guestOrder()
      const stream = await openStream(
        `/v1/orders/${order.id}/events`,
        { 'x-order-token': orderToken, 'last-event-id': '2' },
        b.base,
      )
      assert.equal(stream.res.status, 200)
      await new Promise((r) => setTimeout(r, 300))
      const fulfil = await a.app.inject({
        method: 'POST',
        url: `/v1/admin/orders/${order.id}/fulfillments`,
        headers: { authorization: `Bearer ${staff}` },
        payload: { trackingNumber: 'SSE-NATS' },
      })
      assert.equal(fulfil.statusCode, 201)
      assert.ok((await a.runtime.relay.drain()) > 0, 'A published the events')
      const deadline = Date.now() + 3000
      while (!stream.text.join('').includes('order.fulfilled') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50))
      }
      stream.close()
      assert.match(stream.text.join(''), /id: 3\nevent: order.fulfilled/)
    })
  })
}
