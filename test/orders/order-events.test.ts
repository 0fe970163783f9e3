import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { cartWith, checkout, stockedVariant, type OrderBody } from '../checkout/support.js'

let ctx: TestContext
let staff: string
let streamApp: FastifyInstance
let base: string

before(async () => {
  // No periodic re-read: a stream learns of a change only from the event bus.
  ctx = await createTestContext({ ORDER_STREAM_RECHECK_MS: '60000' })
  staff = await ctx.tokenFor('staff')
  // A second instance on the same database serves the streams: changes made through the first
  // must reach them.
  streamApp = await ctx.runtime.buildApp()
  base = await streamApp.listen({ port: 0, host: '127.0.0.1' })
})
after(async () => {
  await streamApp.close()
  await ctx.close()
})

interface SseEvent {
  id: string
  event: string
  data: { seq: number; type: string; status: string }
}

/** Opens the stream and collects events until `count` arrived; then closes it. */
async function readEvents(
  url: string,
  headers: Record<string, string>,
  count: number,
  onOpen?: () => Promise<void>,
) {
  const controller = new AbortController()
  const res = await fetch(url, { headers, signal: controller.signal })
  assert.equal(res.status, 200)
  assert.match(String(res.headers.get('content-type')), /^text\/event-stream/)
  const events: SseEvent[] = []
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  let opened = false
  const deadline = setTimeout(() => controller.abort(), 15_000)
  try {
    while (events.length < count) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += value
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const field = (name: string) =>
          block
            .split('\n')
            .find((l) => l.startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim()
        if (field('event'))
          events.push({
            id: field('id')!,
            event: field('event')!,
            data: JSON.parse(field('data')!),
          })
      }
      if (!opened && onOpen) {
        opened = true
        await onOpen()
      }
    }
  } finally {
    clearTimeout(deadline)
    controller.abort()
  }
  return events
}

describe(`order status stream (${engine})`, () => {
  test('streams the history, then live changes woken by the event bus; resumes after Last-Event-ID', async () => {
    const variantId = await stockedVariant(ctx, staff, 2)
    const res = await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 1 }]))
    const { order, orderToken } = res.json() as { order: OrderBody; orderToken: string }
    const url = `${base}/v1/orders/${order.id}/events`
    const headers = { 'x-order-token': orderToken }
    const events = await readEvents(url, headers, 3, async () => {
      const fulfil = await ctx.app.inject({
        method: 'POST',
        url: `/v1/admin/orders/${order.id}/fulfillments`,
        headers: { authorization: `Bearer ${staff}` },
        payload: { trackingNumber: 'SSE-1' },
      })
      assert.equal(fulfil.statusCode, 201)
      await ctx.runtime.relay.drain()
    })
    assert.deepEqual(
      events.map((e) => [e.id, e.event, e.data.status]),
      [
        ['1', 'order.created', 'pending_payment'],
        ['2', 'order.paid', 'paid'],
        ['3', 'order.fulfilled', 'fulfilled'],
      ],
    )
    const resumed = await readEvents(url, { ...headers, 'last-event-id': '2' }, 1)
    assert.deepEqual(
      resumed.map((e) => e.event),
      ['order.fulfilled'],
    )
  })

  test('another caller gets 404, not a stream', async () => {
    const variantId = await stockedVariant(ctx, staff, 1)
    const { order } = (
      await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 1 }]))
    ).json() as { order: OrderBody }
    const res = await fetch(`${base}/v1/orders/${order.id}/events`, {
      headers: { 'x-order-token': 'ot_wrong' },
    })
    assert.equal(res.status, 404)
    assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/)
    const customer = await ctx.tokenFor('customer')
    const stranger = await fetch(`${base}/v1/orders/${order.id}/events`, {
      headers: { authorization: `Bearer ${customer}` },
    })
    assert.equal(stranger.status, 404, "a customer does not follow another's order")
  })

  test('staff (orders:read) follow any order, as the dashboard does', async () => {
    const variantId = await stockedVariant(ctx, staff, 1)
    const { order } = (
      await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 1 }]))
    ).json() as { order: OrderBody }
    const url = `${base}/v1/orders/${order.id}/events`
    const events = await readEvents(url, { authorization: `Bearer ${staff}` }, 2)
    assert.deepEqual(
      events.map((e) => e.event),
      ['order.created', 'order.paid'],
    )
    const missing = await fetch(`${base}/v1/orders/ord_missing/events`, {
      headers: { authorization: `Bearer ${staff}` },
    })
    assert.equal(missing.status, 404)
  })
})
