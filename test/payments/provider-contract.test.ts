import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { startStripeServer, type StripeServer } from '../helpers/stripe-server.js'
import type { PaymentProvider } from '../../src/modules/payments/index.js'

const SECRETS = { secretKey: 'sk_test_contract', webhookSecret: 'whsec_contract' }
let ctx: TestContext
let stripe: StripeServer

before(async () => {
  stripe = await startStripeServer(SECRETS)
  ctx = await createTestContext({
    PAYMENT_TEST_TIMEOUT_DELAY_MS: '0',
    PAYMENT_PROVIDERS: 'test,stripe',
    STRIPE_SECRET_KEY: SECRETS.secretKey,
    STRIPE_WEBHOOK_SECRET: SECRETS.webhookSecret,
    STRIPE_API_URL: stripe.url,
  })
})
after(async () => {
  await ctx.close()
  await stripe.close()
})

/** Each provider's own card tokens for the same situations. */
const CARDS = {
  test: { ok: 'tok_visa', declined: 'tok_declined', unknown: 'tok_nonexistent' },
  stripe: { ok: 'pm_card_visa', declined: 'pm_card_chargeDeclined', unknown: 'pm_nonexistent' },
}

for (const name of ['test', 'stripe'] as const) {
  describe(`payment provider contract: ${name} (${engine})`, () => {
    const provider = (): PaymentProvider => ctx.runtime.modules.payments.providers.byName(name)
    const card = (token: string, amount = 2495) => ({
      idempotencyKey: `ord_${uniqueSuffix()}`,
      amount,
      currency: 'EUR',
      method: 'card',
      token,
    })

    test('a good card authorizes the exact amount; capture captures it; lookup finds it', async () => {
      const input = card(CARDS[name].ok)
      const authorized = await provider().authorize(input)
      assert.deepEqual(
        [authorized.status, authorized.amount, authorized.currency, authorized.refunded],
        ['authorized', 2495, 'EUR', 0],
      )
      const captured = await provider().capture(authorized.reference)
      assert.deepEqual([captured.status, captured.amount], ['captured', 2495])
      const again = await provider().capture(authorized.reference)
      assert.equal(again.status, 'captured', 'capturing twice returns the captured payment')
      const found = await provider().lookup(input.idempotencyKey)
      assert.deepEqual([found?.reference, found?.status], [authorized.reference, 'captured'])
      assert.equal(await provider().lookup(`ord_${uniqueSuffix()}`), undefined)
    })

    test('a declined card is declined with a reason, and never captured', async () => {
      const declined = await provider().authorize(card(CARDS[name].declined))
      assert.equal(declined.status, 'declined')
      assert.match(declined.declineReason ?? '', /decline/)
      await assert.rejects(provider().capture(declined.reference), {
        code: 'payment_not_capturable',
      })
    })

    test('an unknown token is declined as invalid_token', async () => {
      const declined = await provider().authorize(card(CARDS[name].unknown))
      assert.deepEqual([declined.status, declined.declineReason], ['declined', 'invalid_token'])
    })

    test('a retry with the same key is the same payment; another amount is refused', async () => {
      const input = card(CARDS[name].ok)
      const first = await provider().authorize(input)
      const retry = await provider().authorize(input)
      assert.equal(retry.reference, first.reference)
      assert.equal(retry.status, 'authorized')
      await assert.rejects(provider().authorize({ ...input, amount: 1 }), {
        code: 'payment_idempotency_mismatch',
      })
    })

    test('void cancels an authorization', async () => {
      const { reference } = await provider().authorize(card(CARDS[name].ok))
      assert.equal((await provider().void(reference)).status, 'voided')
    })

    test('refunds: partial, then the rest; idempotent by key; never more than paid', async () => {
      const { reference } = await provider().authorize(card(CARDS[name].ok, 1000))
      await provider().capture(reference)
      const partial = { idempotencyKey: `ref_${uniqueSuffix()}`, reference, amount: 400 }
      const first = await provider().refund(partial)
      assert.equal(first.payment.refunded, 400)
      const retry = await provider().refund(partial)
      assert.equal(retry.refundReference, first.refundReference)
      assert.equal(retry.payment.refunded, 400, 'a retry moves no money')
      await assert.rejects(
        provider().refund({ idempotencyKey: `ref_${uniqueSuffix()}`, reference, amount: 601 }),
        { code: 'refund_exceeds_payment' },
      )
      const rest = await provider().refund({
        idempotencyKey: `ref_${uniqueSuffix()}`,
        reference,
        amount: 600,
      })
      assert.deepEqual([rest.payment.refunded, rest.payment.amount], [1000, 1000])
    })
  })
}

test(`stripe: every call that writes carries an idempotency key; intents capture manually (${engine})`, () => {
  const posts = stripe.requests.filter((r) => r.method === 'POST')
  assert.ok(posts.length > 10)
  assert.deepEqual(
    posts.filter((r) => !r.idempotencyKey),
    [],
  )
  for (const intent of stripe.intents.values()) assert.equal(intent.capture_method, 'manual')
})
