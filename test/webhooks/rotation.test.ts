import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { Webhook } from 'standardwebhooks'
import { productBody } from '../helpers/catalog.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { adminRequest, startReceiver, type Receiver } from './support.js'

const BASE = '/v1/admin/webhook-endpoints'

describe(`webhook secret rotation on ${engine}`, () => {
  let ctx: TestContext
  let receiver: Receiver
  let call: ReturnType<typeof adminRequest>
  let staff: string

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

  async function endpoint() {
    const res = await call('POST', BASE, { url: receiver.url, events: ['product.created'] })
    assert.equal(res.statusCode, 201, res.body)
    return res.json() as { id: string; secret: string }
  }

  /** Creates a product, lets the relay fan it out and sends the endpoint's delivery now. */
  async function deliverOne(endpointId: string) {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/products',
      headers: { authorization: `Bearer ${staff}` },
      payload: productBody(),
    })
    assert.equal(res.statusCode, 201, res.body)
    await ctx.runtime.relay.drain()
    const list = await call('GET', `${BASE}/${endpointId}/deliveries`)
    const [delivery] = (list.json() as { data: { id: string; status: string }[] }).data
    assert.equal(delivery?.status, 'pending')
    await ctx.runtime.modules.webhooks.deliveries.deliver({ deliveryId: delivery.id, attempt: 0 })
    const got = receiver.received.findLast((r) => r.headers['webhook-id'] === delivery.id)
    assert.ok(got, 'the receiver got the delivery')
    return { body: got.body, headers: got.headers as Record<string, string> }
  }

  test('during the overlap a delivery verifies with the new and the old secret; after it, only with the new', async () => {
    const hook = await endpoint()
    const res = await call('POST', `${BASE}/${hook.id}/rotate-secret`)
    assert.equal(res.statusCode, 200, res.body)
    const rotated = res.json() as { secret: string; previousSecretExpiresAt: string }
    assert.match(rotated.secret, /^whsec_[A-Za-z0-9+/]{43}=$/)
    assert.notEqual(rotated.secret, hook.secret)
    const window = Date.parse(rotated.previousSecretExpiresAt) - Date.now()
    assert.ok(window > 86_300_000 && window <= 86_400_000, 'a 24 h overlap by default')

    const during = await deliverOne(hook.id)
    assert.equal(during.headers['webhook-signature']!.split(' ').length, 2)
    for (const secret of [rotated.secret, hook.secret]) {
      const payload = new Webhook(secret).verify(during.body, during.headers) as { type: string }
      assert.equal(payload.type, 'product.created')
    }
    const stranger = 'whsec_' + Buffer.alloc(32, 7).toString('base64')
    assert.throws(() => new Webhook(stranger).verify(during.body, during.headers))

    await sql`update webhooks.endpoint set previous_secret_expires_at = now() - interval '1 second'
      where id = ${hook.id}`.execute(ctx.database.db)
    const afterwards = await deliverOne(hook.id)
    assert.equal(afterwards.headers['webhook-signature']!.split(' ').length, 1)
    new Webhook(rotated.secret).verify(afterwards.body, afterwards.headers)
    assert.throws(() => new Webhook(hook.secret).verify(afterwards.body, afterwards.headers))
    const shown = (await call('GET', `${BASE}/${hook.id}`)).json() as Record<string, unknown>
    assert.equal(shown.secret, undefined, 'the secret is shown only in the rotation reply')
  })

  test('an overlap of 0 switches to the new secret at once; an unknown endpoint is 404', async () => {
    const hook = await endpoint()
    const res = await call('POST', `${BASE}/${hook.id}/rotate-secret`, { overlapSeconds: 0 })
    assert.equal(res.statusCode, 200, res.body)
    const rotated = res.json() as { secret: string; previousSecretExpiresAt: string | null }
    assert.equal(rotated.previousSecretExpiresAt, null)
    const sent = await deliverOne(hook.id)
    assert.equal(sent.headers['webhook-signature']!.split(' ').length, 1)
    new Webhook(rotated.secret).verify(sent.body, sent.headers)
    assert.throws(() => new Webhook(hook.secret).verify(sent.body, sent.headers))

    assert.equal((await call('POST', `${BASE}/whe_nope/rotate-secret`)).statusCode, 404)
    const tooLong = await call('POST', `${BASE}/${hook.id}/rotate-secret`, {
      overlapSeconds: 8 * 86_400,
    })
    assert.equal(tooLong.statusCode, 400)
  })
})
