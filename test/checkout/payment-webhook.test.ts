import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { signTestWebhook } from '../../src/modules/payments/index.js'
import { cartWith, checkout, stockedVariant, type OrderBody } from './support.js'

const SECRET = 'payment-webhook-secret-for-tests'
let ctx: TestContext

before(async () => {
  ctx = await createTestContext({
    PAYMENT_TEST_TIMEOUT_DELAY_MS: '0',
    PAYMENT_WEBHOOK_SECRET: SECRET,
  })
})
after(() => ctx.close())

const notify = (body: string, headers: Record<string, string>) =>
  ctx.app.inject({
    method: 'POST',
    url: '/v1/payments/webhooks/test',
    headers: { 'content-type': 'application/json', ...headers },
    payload: body,
  })

test(`a signed provider notification settles a pending order once (${engine})`, async () => {
  const staff = await ctx.tokenFor('staff')
  const variantId = await stockedVariant(ctx, staff, 2)
  const placed = await checkout(
    ctx,
    await cartWith(ctx, [{ variantId, quantity: 1 }]),
    'tok_timeout',
  )
  const { order } = placed.json() as { order: OrderBody }
  assert.equal(order.status, 'pending_payment')
  const payment = await ctx.runtime.modules.payments.providers.byName('test').lookup(order.id)
  // Spacing the JSON serializer would not produce: the signature covers the raw bytes.
  const body = `{"type": "payment.succeeded", "idempotencyKey": "${order.id}", "reference": "${payment!.reference}"}`

  const forged = await notify(body, signTestWebhook('not the secret', body))
  assert.equal(forged.statusCode, 401)
  assert.equal(forged.json().code, 'invalid_signature')

  const first = await notify(body, signTestWebhook(SECRET, body))
  assert.equal(first.statusCode, 200, first.body)
  assert.equal(first.json().outcome, 'paid')
  const again = await notify(body, signTestWebhook(SECRET, body))
  assert.equal(again.json().outcome, 'already_settled')
  const paid = await ctx.runtime.modules.orders.service.adminGet(order.id)
  assert.equal(paid.status, 'paid')
  assert.equal(paid.history.filter((h) => h.type === 'order.paid').length, 1)
})

test(`other routes still parse JSON normally (${engine})`, async () => {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/carts',
    payload: { currency: 'EUR' },
  })
  assert.equal(res.statusCode, 201)
})
