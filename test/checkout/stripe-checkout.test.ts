import assert from 'node:assert/strict'
import { after, before, describe, mock, test } from 'node:test'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { startStripeServer, type SignedEvent, type StripeServer } from '../helpers/stripe-server.js'
import { cartWith, checkout, stockedVariant, stockOf, type OrderBody } from './support.js'

const SECRETS = { secretKey: 'sk_test_checkout', webhookSecret: 'whsec_checkout' }
let ctx: TestContext
let stripe: StripeServer
let staff: string

before(async () => {
  stripe = await startStripeServer(SECRETS)
  ctx = await createTestContext({
    PAYMENT_PROVIDERS: 'stripe,test',
    STRIPE_SECRET_KEY: SECRETS.secretKey,
    STRIPE_WEBHOOK_SECRET: SECRETS.webhookSecret,
    STRIPE_API_URL: stripe.url,
  })
  staff = await ctx.tokenFor('staff')
})
after(async () => {
  await ctx.close()
  await stripe.close()
})

const deliver = (event: SignedEvent) =>
  ctx.app.inject({
    method: 'POST',
    url: '/v1/payments/webhooks/stripe',
    headers: event.headers,
    payload: event.payload,
  })

const adminOrder = (id: string) => ctx.runtime.modules.orders.service.adminGet(id)

/** The intent Stripe holds for an order (its metadata carries the order id). */
function intentOf(orderId: string) {
  const intent = [...stripe.intents.values()].find(
    (i) => i.metadata.emporium_payment_key === orderId,
  )
  assert.ok(intent, `no intent for ${orderId}`)
  return intent
}

/** A 3-D Secure checkout: 202 with the intent's client secret, the order awaiting payment. */
async function threeDSecureOrder(variantId: string) {
  const res = await checkout(
    ctx,
    await cartWith(ctx, [{ variantId, quantity: 1 }]),
    'pm_card_threeDSecure2Required',
  )
  assert.equal(res.statusCode, 202, res.body)
  const body = res.json() as {
    order: OrderBody
    nextAction: { type: string; clientSecret: string }
  }
  const intent = intentOf(body.order.id)
  assert.equal(body.order.status, 'pending_payment')
  assert.deepEqual(body.nextAction, { type: 'use_stripe_sdk', clientSecret: intent.client_secret })
  return { order: body.order, intent }
}

describe(`checkout through Stripe (${engine})`, () => {
  test('pm_card_visa: 201 paid, captured once at Stripe, refunds go back to Stripe', async () => {
    const variantId = await stockedVariant(ctx, staff, 3, 2495)
    const res = await checkout(
      ctx,
      await cartWith(ctx, [{ variantId, quantity: 1 }]),
      'pm_card_visa',
    )
    assert.equal(res.statusCode, 201, res.body)
    const { order } = res.json() as { order: OrderBody }
    assert.equal(order.status, 'paid')
    const intent = intentOf(order.id)
    assert.deepEqual(
      [intent.status, intent.capture_method, intent.amount_received, intent.currency],
      ['succeeded', 'manual', order.totals.total.amount, 'eur'],
    )
    const paid = (await ctx.runtime.modules.orders.service.summary(order.id))!
    assert.equal(paid.payment.provider, 'stripe', 'the order records who took the payment')
    assert.equal(paid.payment.reference, intent.id)

    const admin = await ctx.tokenFor('admin')
    const refund = await ctx.app.inject({
      method: 'POST',
      url: `/v1/admin/orders/${order.id}/refunds`,
      headers: { authorization: `Bearer ${admin}` },
      payload: { amount: 500 },
    })
    assert.equal(refund.statusCode, 201, refund.body)
    const lookedUp = await ctx.runtime.modules.payments.providers.byName('stripe').lookup(order.id)
    assert.equal(lookedUp?.refunded, 500, "Stripe's charge records the partial refund")
  })

  test('pm_card_chargeDeclined: 402 payment_declined, stock back', async () => {
    const variantId = await stockedVariant(ctx, staff, 2)
    const res = await checkout(
      ctx,
      await cartWith(ctx, [{ variantId, quantity: 1 }]),
      'pm_card_chargeDeclined',
    )
    assert.equal(res.statusCode, 402, res.body)
    assert.equal(res.json().code, 'payment_declined')
    assert.equal(res.json().declineReason, 'generic_decline')
    assert.equal((await stockOf(ctx, variantId)).available, 2)
  })

  test('3-D Secure: 202 with the client secret, then the signed webhook settles it paid', async () => {
    const variantId = await stockedVariant(ctx, staff, 2)
    const { order, intent } = await threeDSecureOrder(variantId)
    stripe.events.length = 0
    stripe.completeAction(intent.id, true)
    const event = stripe.events.find((e) => e.type === 'payment_intent.amount_capturable_updated')!

    const forged = await deliver(stripe.signedEvent(event.type, intent.id, 'whsec_not_ours'))
    assert.equal(forged.statusCode, 400, 'a bad signature is refused')
    assert.equal(forged.json().code, 'invalid_signature')
    assert.equal((await adminOrder(order.id)).status, 'pending_payment', 'and changes nothing')
    assert.equal(intent.status, 'requires_capture', 'nothing captured')

    const settled = await deliver(event)
    assert.equal(settled.statusCode, 200, settled.body)
    assert.equal(settled.json().outcome, 'paid')
    assert.equal((await adminOrder(order.id)).status, 'paid')
    assert.equal(intent.status, 'succeeded')
    assert.equal((await deliver(event)).json().outcome, 'already_settled')
  })

  test('3-D Secure failed: the payment_failed webhook cancels the order and frees the stock', async () => {
    const variantId = await stockedVariant(ctx, staff, 1)
    const { order, intent } = await threeDSecureOrder(variantId)
    stripe.completeAction(intent.id, false)
    const res = await deliver(stripe.signedEvent('payment_intent.payment_failed', intent.id))
    assert.equal(res.json().outcome, 'cancelled')
    const cancelled = await adminOrder(order.id)
    assert.deepEqual([cancelled.status, cancelled.cancelReason], ['cancelled', 'payment_declined'])
    assert.equal((await stockOf(ctx, variantId)).available, 1)
  })

  test('the reconciliation job settles a 3-D Secure payment whose webhook never came', async () => {
    const variantId = await stockedVariant(ctx, staff, 1)
    const { order, intent } = await threeDSecureOrder(variantId)
    const { settlement } = ctx.runtime.modules.flows
    assert.equal(await settlement.reconcile(order.id), 'awaiting_payment', 'the customer is busy')
    stripe.completeAction(intent.id, true)
    await settlement.reconcileStale(new Date(Date.now() + 1000))
    assert.equal((await adminOrder(order.id)).status, 'paid')
    assert.equal(intent.status, 'succeeded')
  })

  test('a 3-D Secure left unfinished past the stock hold is cancelled at Stripe and the order cancelled', async () => {
    const variantId = await stockedVariant(ctx, staff, 1)
    const { order, intent } = await threeDSecureOrder(variantId)
    const holdMs = ctx.config.checkout.reservationTtlSeconds * 1000
    mock.timers.enable({ apis: ['Date'], now: Date.now() + holdMs + 1000 })
    try {
      assert.equal(await ctx.runtime.modules.flows.settlement.reconcile(order.id), 'cancelled')
    } finally {
      mock.timers.reset()
    }
    assert.equal(intent.status, 'canceled', 'a late 3-D Secure can no longer charge')
    const cancelled = await adminOrder(order.id)
    assert.deepEqual(
      [cancelled.status, cancelled.cancelReason],
      ['cancelled', 'payment_not_completed'],
    )
  })

  test('an amount at Stripe other than the order total is never paid: voided, order cancelled', async () => {
    const variantId = await stockedVariant(ctx, staff, 1, 2495)
    const { order, intent } = await threeDSecureOrder(variantId)
    intent.amount = 1 // what a tampered or mis-built intent would hold
    stripe.completeAction(intent.id, true)
    const res = await deliver(
      stripe.signedEvent('payment_intent.amount_capturable_updated', intent.id),
    )
    assert.equal(res.json().outcome, 'cancelled')
    const cancelled = await adminOrder(order.id)
    assert.deepEqual(
      [cancelled.status, cancelled.cancelReason, cancelled.payment.status],
      ['cancelled', 'payment_mismatch', 'voided'],
    )
    assert.equal(intent.status, 'canceled', 'the authorization is released, not captured')
    assert.equal(intent.amount_received, 0)
    assert.ok(
      ctx.logs.some((l) => l.level === 50 && l.orderId === order.id),
      'an error is logged',
    )
    assert.equal((await stockOf(ctx, variantId)).available, 1)
  })

  test('with both providers enabled, tok_ tokens go to the test provider and are recorded', async () => {
    const variantId = await stockedVariant(ctx, staff, 1)
    const res = await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 1 }]), 'tok_visa')
    assert.equal(res.statusCode, 201, res.body)
    const { order } = res.json() as { order: OrderBody }
    const summary = await ctx.runtime.modules.orders.service.summary(order.id)
    assert.equal(summary?.payment.provider, 'test')
  })
})
