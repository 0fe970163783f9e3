import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { adminRequest } from './support.js'

describe(`webhook endpoints on ${engine}`, () => {
  let ctx: TestContext
  let call: ReturnType<typeof adminRequest>
  const BASE = '/v1/admin/webhook-endpoints'
  // A literal public address: no DNS needed, and nothing is sent to it by these tests.
  const PUBLIC_URL = 'https://93.184.215.14/hooks'

  before(async () => {
    ctx = await createTestContext()
    call = adminRequest(ctx, await ctx.tokenFor('admin'))
  })
  after(() => ctx.close())

  test('the signing secret is shown once, at creation; list and get never include it', async () => {
    const res = await call('POST', BASE, {
      url: PUBLIC_URL,
      events: ['order.paid', 'product.created'],
      description: 'ERP',
    })
    assert.equal(res.statusCode, 201, res.body)
    const created = res.json() as { id: string; secret: string; enabled: boolean; events: string[] }
    assert.match(created.id, /^whe_/)
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/]+=*$/)
    const bytes = Buffer.from(created.secret.slice('whsec_'.length), 'base64').length
    assert.ok(bytes >= 24 && bytes <= 32)
    assert.equal(created.enabled, true)
    assert.deepEqual(created.events, ['order.paid', 'product.created'])

    const got = await call('GET', `${BASE}/${created.id}`)
    assert.equal(got.statusCode, 200)
    assert.equal('secret' in got.json(), false)
    const listed = await call('GET', BASE)
    assert.equal(listed.statusCode, 200)
    assert.ok(!listed.body.includes(created.secret))
    assert.ok((listed.json() as { data: { id: string }[] }).data.some((e) => e.id === created.id))
  })

  test('without WEBHOOK_ALLOW_PRIVATE_NETWORKS, loopback, private and non-http URLs are refused', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hooks',
      'http://10.0.0.1/hooks',
      'http://[::1]/hooks',
      'http://localhost/hooks',
      'http://169.254.169.254/latest/meta-data',
      'http://192.168.1.10/hooks',
      'http://[::ffff:127.0.0.1]/hooks',
      'ftp://93.184.215.14/hooks',
      'file:///etc/passwd',
    ]) {
      const res = await call('POST', BASE, { url, events: ['*'] })
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`)
      assert.equal((res.json() as { code: string }).code, 'webhook_url_not_allowed', url)
    }
    const created = await call('POST', BASE, { url: PUBLIC_URL, events: ['*'] })
    const id = (created.json() as { id: string }).id
    const moved = await call('PATCH', `${BASE}/${id}`, { url: 'http://127.0.0.1/hooks' })
    assert.equal(moved.statusCode, 400)
  })

  test('event types must be known ones or *', async () => {
    const res = await call('POST', BASE, { url: PUBLIC_URL, events: ['order.exploded'] })
    assert.equal(res.statusCode, 400)
    const empty = await call('POST', BASE, { url: PUBLIC_URL, events: [] })
    assert.equal(empty.statusCode, 400)
  })

  test('an endpoint can be changed, disabled, enabled and deleted', async () => {
    const created = await call('POST', BASE, { url: PUBLIC_URL, events: ['order.paid'] })
    const id = (created.json() as { id: string }).id
    const patched = await call('PATCH', `${BASE}/${id}`, {
      events: ['order.refunded'],
      description: 'refunds only',
    })
    assert.equal(patched.statusCode, 200, patched.body)
    assert.deepEqual((patched.json() as { events: string[] }).events, ['order.refunded'])

    const disabled = await call('POST', `${BASE}/${id}/disable`)
    assert.equal((disabled.json() as { enabled: boolean }).enabled, false)
    const enabled = await call('POST', `${BASE}/${id}/enable`)
    assert.equal((enabled.json() as { enabled: boolean }).enabled, true)

    assert.equal((await call('DELETE', `${BASE}/${id}`)).statusCode, 204)
    assert.equal((await call('GET', `${BASE}/${id}`)).statusCode, 404)
    assert.equal((await call('GET', `${BASE}/${id}/deliveries`)).statusCode, 404)
  })

  test('managing webhooks needs webhooks:manage', async () => {
    const staff = adminRequest(ctx, await ctx.tokenFor('customer'))
    assert.equal((await staff('GET', BASE)).statusCode, 403)
    assert.equal((await ctx.app.inject({ method: 'GET', url: BASE })).statusCode, 401)
  })
})
