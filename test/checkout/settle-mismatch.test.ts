import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { cartWith, checkout, stockedVariant, stockOf, type OrderBody } from './support.js'

let ctx: TestContext
let staff: string

before(async () => {
  ctx = await createTestContext({ PAYMENT_TEST_TIMEOUT_DELAY_MS: '0' })
  staff = await ctx.tokenFor('staff')
})
after(() => ctx.close())

/** An order left `pending_payment` by `tok_timeout`, its test payment authorized. */
async function pendingOrder(variantId: string) {
  const res = await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 1 }]), 'tok_timeout')
  const { order } = res.json() as { order: OrderBody }
  assert.equal(order.status, 'pending_payment')
  return order
}

/** What a provider holding another amount than the order looks like. */
async function setProviderAmount(orderId: string, amount: number) {
  await sql`update payments.test_payment set amount = ${amount} where idempotency_key = ${orderId}`.execute(
    ctx.database.db,
  )
}

describe(`settlement checks the provider's amount against the order (${engine})`, () => {
  test('an authorization for less than the total is voided, never captured nor paid', async () => {
    const variantId = await stockedVariant(ctx, staff, 1, 2495)
    const order = await pendingOrder(variantId)
    await setProviderAmount(order.id, 1)
    const outcome = await ctx.runtime.modules.flows.settlement.reconcile(order.id)
    assert.equal(outcome, 'cancelled')
    const cancelled = await ctx.runtime.modules.orders.service.adminGet(order.id)
    assert.deepEqual(
      [cancelled.status, cancelled.cancelReason, cancelled.payment.status],
      ['cancelled', 'payment_mismatch', 'voided'],
    )
    const payment = await ctx.runtime.modules.payments.providers.byName('test').lookup(order.id)
    assert.equal(payment?.status, 'voided')
    assert.equal((await stockOf(ctx, variantId)).available, 1)
    assert.ok(
      ctx.logs.some((l) => l.level === 50 && l.orderId === order.id),
      'an error is logged for staff',
    )
  })

  test('a captured payment in another amount is refunded in full and the order cancelled', async () => {
    const variantId = await stockedVariant(ctx, staff, 1, 2495)
    const order = await pendingOrder(variantId)
    const provider = ctx.runtime.modules.payments.providers.byName('test')
    await provider.capture((await provider.lookup(order.id))!.reference)
    await setProviderAmount(order.id, 5000)
    assert.equal(await ctx.runtime.modules.flows.settlement.reconcile(order.id), 'cancelled')
    const cancelled = await ctx.runtime.modules.orders.service.adminGet(order.id)
    assert.deepEqual([cancelled.status, cancelled.cancelReason], ['cancelled', 'payment_mismatch'])
    const payment = await provider.lookup(order.id)
    assert.equal(payment?.refunded, 5000, 'all that was taken is given back')
  })
})
