import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { after, before, test } from 'node:test'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { cartWith, checkout, stockedVariant } from '../checkout/support.js'
import { queuedJobs, startReceiver, type Receiver } from '../webhooks/support.js'
import {
  ADDRESS,
  agent,
  apiKey,
  assertConforms,
  COMPLETE_BODY,
  createBody,
  sessionOf,
} from './support.js'

const SECRET = 'acp-webhook-secret-for-tests'
let ctx: TestContext
let receiver: Receiver

before(async () => {
  receiver = await startReceiver()
  ctx = await createTestContext({
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    ACP_WEBHOOK_URL: receiver.url,
    ACP_WEBHOOK_SECRET: SECRET,
  })
  await ctx.runtime.jobs.start({ work: false })
})
after(async () => {
  await ctx.close()
  await receiver.close()
})

/** Publishes the committed events, then runs every delivery job the agent platform's endpoint got. */
async function deliverAll(): Promise<number> {
  await ctx.runtime.relay.drain()
  const admin = await ctx.tokenFor('admin')
  const res = await ctx.as(admin).get('/v1/admin/webhook-endpoints/whe_acp/deliveries')
  if (res.statusCode === 404) return 0
  assert.equal(res.statusCode, 200, res.body)
  const deliveries = (res.json() as { data: { id: string; status: string }[] }).data
  let sent = 0
  for (const d of deliveries.filter((x) => x.status === 'pending')) {
    for (const job of await queuedJobs(ctx, d.id)) {
      await ctx.runtime.modules.webhooks.deliveries.deliver(job.data as never)
      sent++
    }
  }
  return sent
}

test("an ACP order's events reach the agent platform, signed with Merchant-Signature", async () => {
  const staff = await ctx.tokenFor('staff')
  const variant = await stockedVariant(ctx, staff, 5)
  const key = await apiKey(ctx, ['agentic_checkout'])
  const acp = agent(ctx, key)
  const created = await acp.post(
    '/acp/checkout_sessions',
    createBody([variant], { fulfillment_details: { address: ADDRESS } }),
  )
  const session = sessionOf(created)
  const done = await acp.post(`/acp/checkout_sessions/${session.id}/complete`, COMPLETE_BODY)
  assert.equal(done.statusCode, 200, done.body)
  const orderId = sessionOf(done).order!.id

  assert.equal(await deliverAll(), 2)
  const events = receiver.received.map((r) => {
    const signature = String(r.headers['merchant-signature'])
    const match = /^t=(\d+),v1=([a-f0-9]{64})$/.exec(signature)
    assert.ok(match, signature)
    const expected = createHmac('sha256', SECRET).update(`${match[1]}.${r.body}`).digest('hex')
    assert.equal(match[2], expected, 'the signature verifies with the shared secret')
    assert.ok(Math.abs(Date.now() / 1000 - Number(match[1])) < 300)
    return JSON.parse(r.body) as { type: string; data: Record<string, unknown> }
  })
  assert.deepEqual(events.map((e) => e.type).sort(), ['order_create', 'order_update'])
  for (const event of events) {
    assertConforms('Order', event.data)
    assert.equal(event.data.type, 'order')
    assert.equal(event.data.id, orderId)
    assert.equal(event.data.checkout_session_id, session.id)
    assert.equal(typeof event.data.status, 'string')
  }

  // A storefront order (not placed through a session) is not the agent platform's business.
  const shopper = await cartWith(ctx, [{ variantId: variant, quantity: 1 }])
  const placed = await checkout(ctx, shopper)
  assert.equal(placed.statusCode, 201, placed.body)
  assert.equal(await deliverAll(), 0)
  assert.equal(receiver.received.length, 2)
})

test('the managed endpoint can be disabled and enabled, but its URL, secret and existence follow the configuration', async () => {
  const admin = await ctx.tokenFor('admin')
  const base = '/v1/admin/webhook-endpoints'
  const listed = await ctx.as(admin).get(`${base}?limit=100`)
  const endpoints = (listed.json() as { data: { id: string; managedBy: string | null }[] }).data
  assert.equal(
    endpoints.find((e) => e.id === 'whe_acp')?.managedBy,
    'acp',
    'made by the first test',
  )

  const refused = [
    await ctx.as(admin).patch(`${base}/whe_acp`, { url: 'https://elsewhere.example/hook' }),
    await ctx.as(admin).patch(`${base}/whe_acp`, { enabled: false, description: 'mine' }),
    await ctx.as(admin).post(`${base}/whe_acp/rotate-secret`, {}),
    await ctx.as(admin).delete(`${base}/whe_acp`),
  ]
  for (const res of refused) {
    assert.equal(res.statusCode, 409, res.body)
    assert.equal((res.json() as { code: string }).code, 'webhook_endpoint_managed')
  }
  const unchanged = (await ctx.as(admin).get(`${base}/whe_acp`)).json() as {
    url: string
    enabled: boolean
    description: string | null
    previousSecretExpiresAt: string | null
  }
  assert.equal(unchanged.url, receiver.url)
  assert.equal(unchanged.enabled, true, 'the refused PATCH changed nothing, enabled included')
  assert.notEqual(unchanged.description, 'mine')
  assert.equal(unchanged.previousSecretExpiresAt, null, 'no rotation happened')

  const off = await ctx.as(admin).post(`${base}/whe_acp/disable`)
  assert.equal(off.statusCode, 200, off.body)
  assert.equal((off.json() as { enabled: boolean }).enabled, false)
  const on = await ctx.as(admin).patch(`${base}/whe_acp`, { enabled: true })
  assert.equal(on.statusCode, 200, on.body)
  assert.equal((on.json() as { enabled: boolean }).enabled, true)

  // An endpoint made through the API is nobody's module's.
  const own = await ctx.as(admin).post(base, { url: receiver.url, events: ['order.paid'] })
  assert.equal(own.statusCode, 201, own.body)
  assert.equal((own.json() as { managedBy: string | null }).managedBy, null)
})
