import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { stockedVariant } from '../checkout/support.js'
import { requestSignature } from '../../src/modules/acp/acp.signing.js'
import { agent, apiKey, assertConforms, createBody } from './support.js'

const SECRET = 'acp-signing-secret-for-tests'
let ctx: TestContext
let key: string
let variant: string

before(async () => {
  ctx = await createTestContext({ ACP_SIGNING_SECRET: SECRET })
  key = await apiKey(ctx, ['agentic_checkout'])
  variant = await stockedVariant(ctx, await ctx.tokenFor('staff'), 5)
})
after(async () => ctx.close())

test('with a signing secret, a request signed over its canonical body passes', async () => {
  const res = await agent(ctx, key).post('/acp/checkout_sessions', createBody([variant]), {
    signingSecret: SECRET,
  })
  assert.equal(res.statusCode, 201, res.body)
  assertConforms('CheckoutSession', res.json())
  const read = await agent(ctx, key).get(`/acp/checkout_sessions/${res.json().id}`, {
    signingSecret: SECRET,
  })
  assert.equal(read.statusCode, 200, read.body)
  assertConforms('CheckoutSession', read.json())
})

test('a wrong, missing or stale signature is 401 invalid_signature', async () => {
  const body = createBody([variant])
  const acp = agent(ctx, key)
  const wrong = await acp.post('/acp/checkout_sessions', body, {
    signingSecret: 'another-secret-000',
  })
  const missing = await acp.post('/acp/checkout_sessions', body)
  const old = new Date(Date.now() - 10 * 60_000).toISOString()
  const stale = await acp.post('/acp/checkout_sessions', body, {
    headers: { timestamp: old, signature: requestSignature(SECRET, old, body) },
  })
  const tampered = await acp.post(
    '/acp/checkout_sessions',
    { ...body, currency: 'usd' },
    {
      headers: {
        timestamp: new Date().toISOString(),
        signature: requestSignature(SECRET, new Date().toISOString(), body),
      },
    },
  )
  for (const [name, res] of Object.entries({ wrong, missing, stale, tampered })) {
    assert.equal(res.statusCode, 401, `${name}: ${res.body}`)
    assertConforms('Error', res.json())
    assert.equal(res.json().code, 'invalid_signature', name)
  }
})
