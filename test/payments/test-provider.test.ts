import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { signTestWebhook, type PaymentProvider } from '../../src/modules/payments/index.js'

let ctx: TestContext
let provider: PaymentProvider

before(async () => {
  ctx = await createTestContext({
    PAYMENT_TEST_TIMEOUT_DELAY_MS: '0',
    PAYMENT_WEBHOOK_SECRET: 'whsec-test',
  })
  provider = ctx.runtime.modules.payments.providers.byName('test')
})
after(() => ctx.close())

const card = (token: string, amount = 1000) => ({
  idempotencyKey: `key-${uniqueSuffix()}`,
  amount,
  currency: 'EUR',
  method: 'card',
  token,
})

describe(`the test payment provider (${engine})`, () => {
  test('tok_visa authorizes and captures; the same key is the same payment', async () => {
    const input = card('tok_visa')
    const first = await provider.authorize(input)
    assert.equal(first.status, 'authorized')
    const again = await provider.authorize(input)
    assert.equal(again.reference, first.reference, 'no second charge')
    assert.equal((await provider.capture(first.reference)).status, 'captured')
    assert.equal((await provider.lookup(input.idempotencyKey))?.status, 'captured')
    await assert.rejects(provider.authorize({ ...input, amount: 999 }), {
      code: 'payment_idempotency_mismatch',
    })
  })

  test('tok_declined declines; tok_timeout times out and then shows as authorized', async () => {
    const declined = await provider.authorize(card('tok_declined'))
    assert.deepEqual([declined.status, declined.declineReason], ['declined', 'card_declined'])
    const input = card('tok_timeout')
    await assert.rejects(provider.authorize(input), { code: 'payment_timeout' })
    assert.equal((await provider.lookup(input.idempotencyKey))?.status, 'authorized')
    assert.equal(await provider.lookup('never-used'), undefined)
  })

  test('refunds are idempotent by key and never exceed the payment', async () => {
    const input = card('tok_visa', 1000)
    const { reference } = await provider.capture((await provider.authorize(input)).reference)
    const refund = { idempotencyKey: `r-${uniqueSuffix()}`, reference, amount: 600 }
    const first = await provider.refund(refund)
    const retry = await provider.refund(refund)
    assert.equal(retry.refundReference, first.refundReference)
    assert.equal(retry.payment.refunded, 600)
    await assert.rejects(
      provider.refund({ idempotencyKey: `r-${uniqueSuffix()}`, reference, amount: 401 }),
      { code: 'refund_exceeds_payment' },
    )
    const rest = await provider.refund({
      idempotencyKey: `r-${uniqueSuffix()}`,
      reference,
      amount: 400,
    })
    assert.equal(rest.payment.refunded, 1000)
  })

  test('webhooks are accepted only with a valid signature', () => {
    const body = JSON.stringify({
      type: 'payment.succeeded',
      idempotencyKey: 'ord_1',
      reference: 'tpay_1',
    })
    const headers = signTestWebhook('whsec-test', body)
    assert.deepEqual(provider.verifyWebhook(headers, body), {
      type: 'payment.succeeded',
      idempotencyKey: 'ord_1',
      reference: 'tpay_1',
    })
    assert.throws(() => provider.verifyWebhook(headers, body.replace('ord_1', 'ord_2')), {
      code: 'invalid_signature',
    })
    assert.throws(() => provider.verifyWebhook(signTestWebhook('other', body), body), {
      code: 'invalid_signature',
    })
    assert.throws(() => provider.verifyWebhook({}, body), { code: 'invalid_signature' })
  })
})
