import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { Webhook } from 'standardwebhooks'
import { productBody } from '../helpers/catalog.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { adminRequest, queuedJobs, startReceiver, type Receiver } from './support.js'

interface Delivery {
  id: string
  eventType: string
  status: string
  attemptCount: number
  nextAttemptAt: string | null
  attempts: { attempt: number; statusCode: number | null; responseExcerpt: string | null }[]
}

describe(`webhook deliveries on ${engine}`, () => {
  let ctx: TestContext
  let receiver: Receiver
  let call: ReturnType<typeof adminRequest>
  let staff: string
  const BASE = '/v1/admin/webhook-endpoints'

  before(async () => {
    ctx = await createTestContext({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' })
    await ctx.runtime.jobs.start({ work: false })
    receiver = await startReceiver()
    call = adminRequest(ctx, await ctx.tokenFor('admin'))
    staff = await ctx.tokenFor('staff')
  })
  after(async () => {
    await ctx.close()
    await receiver.close()
  })

  async function endpoint(events: string[]) {
    const res = await call('POST', BASE, { url: receiver.url, events })
    assert.equal(res.statusCode, 201, res.body)
    return res.json() as { id: string; secret: string }
  }

  async function createProduct(): Promise<string> {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/products',
      headers: { authorization: `Bearer ${staff}` },
      payload: productBody(),
    })
    assert.equal(res.statusCode, 201, res.body)
    await ctx.runtime.relay.drain()
    return (res.json() as { id: string }).id
  }

  async function deliveries(endpointId: string): Promise<Delivery[]> {
    const res = await call('GET', `${BASE}/${endpointId}/deliveries`)
    assert.equal(res.statusCode, 200, res.body)
    return (res.json() as { data: Delivery[] }).data
  }

  const deliver = (data: Record<string, unknown>) =>
    ctx.runtime.modules.webhooks.deliveries.deliver(data as never)

  test('a product created through the API reaches the receiver, signed per Standard Webhooks', async () => {
    const products = await endpoint(['product.created'])
    const customers = await endpoint(['customer.created'])
    const before = receiver.received.length
    const productId = await createProduct()

    assert.deepEqual(await deliveries(customers.id), [], 'the events filter is respected')
    const [delivery] = await deliveries(products.id)
    assert.ok(delivery)
    assert.equal(delivery.status, 'pending')
    const [job] = await queuedJobs(ctx, delivery.id)
    assert.deepEqual(job?.data, { deliveryId: delivery.id, attempt: 0 })

    await deliver(job.data)
    assert.equal(receiver.received.length, before + 1)
    const got = receiver.received.at(-1)!
    assert.equal(got.headers['webhook-id'], delivery.id)
    const verified = new Webhook(products.secret).verify(
      got.body,
      got.headers as Record<string, string>,
    ) as { type: string; timestamp: string; data: { productId: string } }
    assert.equal(verified.type, 'product.created')
    assert.equal(verified.data.productId, productId)
    assert.ok(!Number.isNaN(Date.parse(verified.timestamp)))
    assert.throws(() => new Webhook(customers.secret).verify(got.body, got.headers as never))

    const [done] = await deliveries(products.id)
    assert.equal(done?.status, 'succeeded')
    assert.equal(done?.attempts[0]?.statusCode, 200)

    // A redelivered event creates no second delivery.
    await sql`update platform.outbox set published_at = null, lease_until = null
      where type = 'product.created' and aggregate_id = ${productId}`.execute(ctx.database.db)
    await ctx.runtime.relay.drain()
    assert.equal((await deliveries(products.id)).length, 1)
  })

  test('a non-2xx reply is recorded and retried later with the same webhook-id', async () => {
    const hook = await endpoint(['*'])
    receiver.statuses.push(503)
    receiver.replyBody = 'x'.repeat(3000)
    await createProduct()
    const [delivery] = await deliveries(hook.id)
    assert.ok(delivery)
    const before = receiver.received.length
    await deliver({ deliveryId: delivery.id, attempt: 0 })
    receiver.replyBody = 'ok'

    const [failed] = await deliveries(hook.id)
    assert.equal(failed?.status, 'pending')
    assert.equal(failed?.attempts[0]?.statusCode, 503)
    assert.equal(failed?.attempts[0]?.responseExcerpt?.length, 1024)
    const wait = Date.parse(failed!.nextAttemptAt!) - Date.now()
    assert.ok(wait > 2000 && wait < 7000, `next attempt in ${wait} ms`)
    const retry = (await queuedJobs(ctx, delivery.id)).at(-1)
    assert.deepEqual(retry?.data, { deliveryId: delivery.id, attempt: 1 })
    assert.ok(retry!.start_after.getTime() > Date.now() + 2000, 'scheduled with startAfter')

    await deliver({ deliveryId: delivery.id, attempt: 0 }) // a stale duplicate: no effect
    await deliver(retry!.data)
    const sent = receiver.received.slice(before)
    assert.equal(sent.length, 2)
    assert.equal(sent[0]!.headers['webhook-id'], delivery.id)
    assert.equal(sent[1]!.headers['webhook-id'], delivery.id)
    assert.equal(sent[0]!.body, sent[1]!.body)
    new Webhook(hook.secret).verify(sent[1]!.body, sent[1]!.headers as never)
    const [ok] = await deliveries(hook.id)
    assert.equal(ok?.status, 'succeeded')
    assert.deepEqual(
      ok?.attempts.map((a) => a.statusCode),
      [503, 200],
    )

    // By hand: sent again now, same webhook-id, one more attempt logged.
    const res = await call('POST', `${BASE}/${hook.id}/deliveries/${delivery.id}/retry`)
    assert.equal(res.statusCode, 202, res.body)
    const manual = (await queuedJobs(ctx, delivery.id)).at(-1)
    assert.deepEqual(manual?.data, { deliveryId: delivery.id, attempt: 2, manual: true })
    await deliver(manual!.data)
    assert.equal(receiver.received.at(-1)!.headers['webhook-id'], delivery.id)
    assert.equal((await deliveries(hook.id))[0]?.attempts.length, 3)
    const missing = await call('POST', `${BASE}/${hook.id}/deliveries/msg_nope/retry`)
    assert.equal(missing.statusCode, 404)
  })

  test('after five exhausted deliveries in a row the endpoint is disabled and an event emitted', async () => {
    const hook = await endpoint(['product.created'])
    for (let i = 0; i < 5; i++) await createProduct()
    const all = await deliveries(hook.id)
    assert.equal(all.length, 5)
    receiver.statuses.push(...Array<number>(5 * 8).fill(500))
    for (const d of all) {
      for (let attempt = 0; attempt < 8; attempt++) await deliver({ deliveryId: d.id, attempt })
    }
    const after = await deliveries(hook.id)
    assert.ok(after.every((d) => d.status === 'failed' && d.attemptCount === 8))
    const got = await call('GET', `${BASE}/${hook.id}`)
    assert.equal((got.json() as { enabled: boolean }).enabled, false)
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from platform.outbox
      where type = 'webhook_endpoint.disabled' and aggregate_id = ${hook.id}`.execute(
      ctx.database.db,
    )
    assert.equal(rows[0]?.n, 1)
    const refused = await call('POST', `${BASE}/${hook.id}/deliveries/${all[0]!.id}/retry`)
    assert.equal(refused.statusCode, 409)
  })
})
