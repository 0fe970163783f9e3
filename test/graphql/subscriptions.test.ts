import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { cartWith, checkout, stockedVariant, type OrderBody } from '../checkout/support.js'

let ctx: TestContext
let staff: string
let second: FastifyInstance
let wsUrl: string

before(async () => {
  // No periodic re-read: a subscription learns of a change only from the event bus.
  ctx = await createTestContext({ ORDER_STREAM_RECHECK_MS: '60000' })
  staff = await ctx.tokenFor('staff')
  // A second instance on the same database serves the subscriptions: changes made through the
  // first must reach them.
  second = await ctx.runtime.buildApp()
  const base = await second.listen({ port: 0, host: '127.0.0.1' })
  wsUrl = `${base.replace('http', 'ws')}/graphql`
})
after(async () => {
  await second.close()
  await ctx.close()
})

function connect(connectionParams: Record<string, string>): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  })
}

interface Event {
  seq: number
  type: string
  status: string
  order: { number: string; status: string } | null
}

const ORDER_UPDATED = `subscription ($id: ID!, $after: Int) {
  orderUpdated(id: $id, after: $after) { seq type status order { number status } }
}`

/** Subscribes and collects `count` events (or the first error); `onOpen` runs once subscribed. */
function collect(
  client: Client,
  variables: Record<string, unknown>,
  count: number,
  onOpen?: () => Promise<void>,
): Promise<{ events: Event[]; error?: { message: string; extensions?: { code?: string } } }> {
  return new Promise((resolve, reject) => {
    const events: Event[] = []
    const timer = setTimeout(() => reject(new Error(`timed out with ${events.length}`)), 15_000)
    const finish = (error?: unknown) => {
      clearTimeout(timer)
      stop()
      const first = Array.isArray(error) ? error[0] : undefined
      resolve({ events, ...(first ? { error: first } : {}) })
    }
    const stop = client.subscribe<{ orderUpdated: Event }>(
      { query: ORDER_UPDATED, variables },
      {
        next: (value) => {
          if (value.errors) return finish(value.errors)
          events.push(value.data!.orderUpdated)
          if (events.length >= count) finish()
        },
        error: (error) => finish(Array.isArray(error) ? error : [error]),
        complete: () => finish(),
      },
    )
    if (onOpen) setTimeout(() => onOpen().catch(reject), 300)
  })
}

async function paidOrder(bearer?: string) {
  const variantId = await stockedVariant(ctx, staff, 5)
  const res = await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 1 }], bearer))
  assert.equal(res.statusCode, 201, res.body)
  return res.json() as { order: OrderBody; orderToken?: string }
}

async function fulfil(orderId: string) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/admin/orders/${orderId}/fulfillments`,
    headers: { authorization: `Bearer ${staff}` },
    payload: { trackingNumber: 'WS-1' },
  })
  assert.equal(res.statusCode, 201, res.body)
  await ctx.runtime.relay.drain()
}

describe(`GraphQL orderUpdated subscription (${engine})`, () => {
  test('a guest with its order token gets a change made on another instance', async () => {
    const { order, orderToken } = await paidOrder()
    const client = connect({ orderToken: orderToken! })
    try {
      const { events, error } = await collect(client, { id: order.id }, 1, () => fulfil(order.id))
      assert.equal(error, undefined)
      assert.deepEqual(
        events.map((e) => [e.type, e.status, e.order?.status, e.order?.number]),
        [['order.fulfilled', 'fulfilled', 'fulfilled', order.number]],
      )
    } finally {
      await client.dispose()
    }
  })

  test('resumes after a history position: the changes missed come first', async () => {
    const { order, orderToken } = await paidOrder()
    const client = connect({ orderToken: orderToken! })
    try {
      const { events } = await collect(client, { id: order.id, after: 0 }, 2)
      assert.deepEqual(
        events.map((e) => [e.seq, e.type]),
        [
          [1, 'order.created'],
          [2, 'order.paid'],
        ],
      )
    } finally {
      await client.dispose()
    }
  })

  test('a signed-in customer subscribes with a bearer token in connection_init', async () => {
    const customer = await ctx.tokenFor('customer')
    const { order } = await paidOrder(customer)
    const client = connect({ authorization: `Bearer ${customer}` })
    try {
      const { events } = await collect(client, { id: order.id }, 1, () => fulfil(order.id))
      assert.deepEqual(
        events.map((e) => e.status),
        ['fulfilled'],
      )
    } finally {
      await client.dispose()
    }
  })

  test("another caller's subscription is refused as not found; a bad bearer token cannot connect", async () => {
    const { order } = await paidOrder()
    const stranger = connect({ orderToken: 'ot_wrong' })
    try {
      const { error } = await collect(stranger, { id: order.id }, 1)
      assert.equal(error?.extensions?.code, 'order_not_found')
    } finally {
      await stranger.dispose()
    }
    const forged = connect({ authorization: 'Bearer not-a-token' })
    try {
      await assert.rejects(
        collect(forged, { id: order.id }, 1).then((r) => {
          if (r.error) throw new Error('refused')
        }),
      )
    } finally {
      await forged.dispose()
    }
  })

  test('the same caps as SSE: a sixth subscription on one order is too_many_streams', async () => {
    const { order, orderToken } = await paidOrder()
    const client = connect({ orderToken: orderToken! })
    const stops: (() => void)[] = []
    try {
      for (let i = 0; i < 5; i++) {
        stops.push(
          client.subscribe(
            { query: ORDER_UPDATED, variables: { id: order.id } },
            {
              next: () => {},
              error: () => {},
              complete: () => {},
            },
          ),
        )
      }
      await new Promise((r) => setTimeout(r, 500))
      const { error } = await collect(client, { id: order.id }, 1)
      assert.equal(error?.extensions?.code, 'too_many_streams')
    } finally {
      for (const stop of stops) stop()
      await client.dispose()
    }
  })
})
