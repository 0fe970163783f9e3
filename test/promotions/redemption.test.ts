import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Database } from '../../src/platform/db/database.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { emittedEvents } from '../helpers/events.js'
import {
  createPromotion,
  errorCode,
  errorReason,
  redeemer,
  redemptionCount,
  timesUsed,
  widePool,
} from './support.js'

let ctx: TestContext
let staff: string
/** On PostgreSQL, a second pool of 20 connections: the redemptions really run in parallel. */
let wide: Database

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
  wide = await widePool(ctx)
})
after(async () => {
  if (wide !== ctx.database) await wide.close()
  await ctx.close()
})

const rejected = (results: PromiseSettledResult<unknown>[]) =>
  results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')

describe('redeeming codes at checkout', () => {
  test('20 concurrent redemptions of a code limited to 5: exactly 5 succeed', async () => {
    const promo = await createPromotion(ctx, staff, {
      kind: 'percentage',
      percentOffBps: 1000,
      usageLimit: 5,
    })
    const promotions = redeemer(ctx, wide)
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        promotions.redeem({
          code: promo.code,
          orderId: `ord_conc_${i}_${promo.id}`,
          email: `buyer${i}@example.test`,
        }),
      ),
    )
    const ok = results.filter((r) => r.status === 'fulfilled')
    const failed = rejected(results)
    assert.equal(ok.length, 5, failed.map((f) => String(f.reason)).join('\n'))
    for (const f of failed) assert.equal(errorCode(f.reason), 'coupon_exhausted', String(f.reason))
    assert.equal(await timesUsed(ctx, promo.code), 5)
    assert.equal(await redemptionCount(ctx, promo.code), 5)
  })

  test('concurrent redemptions by one customer respect the per-customer limit', async () => {
    const promo = await createPromotion(ctx, staff, { kind: 'free_shipping', perCustomerLimit: 2 })
    const promotions = redeemer(ctx, wide)
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        promotions.redeem({
          code: promo.code,
          orderId: `ord_cust_${i}_${promo.id}`,
          customerId: 'cus_same',
          email: `alias${i}@example.test`,
        }),
      ),
    )
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2)
    for (const f of rejected(results)) {
      assert.equal(errorCode(f.reason), 'coupon_exhausted')
      assert.equal(errorReason(f.reason), 'customer_limit_reached')
    }
    assert.equal(await timesUsed(ctx, promo.code), 2)
    const other = await promotions.redeem({
      code: promo.code,
      orderId: `ord_other_${promo.id}`,
      customerId: 'cus_other',
    })
    assert.deepEqual(other, {
      promotionId: promo.id,
      code: promo.code,
      discount: 0,
      freeShipping: true,
    })
  })

  test('redeem is idempotent per order and emits promotion.redeemed once', async () => {
    const promo = await createPromotion(ctx, staff, {
      kind: 'fixed_amount',
      amountOff: [{ amount: 750, currency: 'EUR' }],
    })
    const other = await createPromotion(ctx, staff, { kind: 'free_shipping' })
    const promotions = redeemer(ctx)
    const orderId = `ord_idem_${promo.id}`
    const first = await promotions.redeem({ code: promo.code.toLowerCase(), orderId })
    const again = await promotions.redeem({ code: promo.code, orderId, subtotal: 100 })
    assert.deepEqual(first, {
      promotionId: promo.id,
      code: promo.code,
      discount: 750,
      freeShipping: false,
    })
    assert.deepEqual(again, first, 'the first grant, whatever the second call says')
    assert.equal(await timesUsed(ctx, promo.code), 1)
    await assert.rejects(promotions.redeem({ code: other.code, orderId }), (e) => {
      assert.equal(errorCode(e), 'redemption_mismatch')
      return true
    })
    assert.deepEqual(
      (await emittedEvents(ctx, promo.id)).map((e) => [
        e.type,
        e.payload.orderId,
        e.payload.discount,
      ]),
      [['promotion.redeemed', orderId, 750]],
    )
  })

  test('redeem re-checks the rules: not applicable now is 409 coupon_not_applicable', async () => {
    const promotions = redeemer(ctx)
    const min = await createPromotion(ctx, staff, {
      kind: 'percentage',
      percentOffBps: 500,
      minimumSubtotal: [{ amount: 5000, currency: 'EUR' }],
    })
    // One at a time: a rejection nobody awaits yet would count as unhandled.
    const cases: [() => Promise<unknown>, string][] = [
      [
        () => promotions.redeem({ code: min.code, orderId: 'ord_min', subtotal: 4999 }),
        'minimum_not_met',
      ],
      [() => promotions.redeem({ code: 'GONE-CODE', orderId: 'ord_gone' }), 'not_found'],
    ]
    for (const [attempt, reason] of cases) {
      await assert.rejects(attempt(), (e) => {
        assert.equal(errorCode(e), 'coupon_not_applicable')
        assert.equal(errorReason(e), reason)
        return true
      })
    }
    const ok = await promotions.redeem({ code: min.code, orderId: 'ord_min_ok', subtotal: 5000 })
    assert.equal(ok.discount, 250)
    assert.equal(await timesUsed(ctx, min.code), 1, 'refused attempts counted nothing')
  })

  test('releaseRedemption gives the use back, once; releasing nothing is a no-op', async () => {
    const promo = await createPromotion(ctx, staff, { kind: 'free_shipping', usageLimit: 1 })
    const promotions = redeemer(ctx, wide)
    await promotions.redeem({ code: promo.code, orderId: 'ord_rel_1' })
    await assert.rejects(promotions.redeem({ code: promo.code, orderId: 'ord_rel_2' }), (e) => {
      assert.equal(errorCode(e), 'coupon_exhausted')
      return true
    })
    await Promise.all([promotions.release('ord_rel_1'), promotions.release('ord_rel_1')])
    assert.equal(await timesUsed(ctx, promo.code), 0, 'two concurrent releases give back one use')
    await promotions.release('ord_rel_1')
    await promotions.release('ord_never_redeemed')
    assert.equal(await timesUsed(ctx, promo.code), 0)
    const second = await promotions.redeem({ code: promo.code, orderId: 'ord_rel_2' })
    assert.equal(second.freeShipping, true)
    assert.equal(await timesUsed(ctx, promo.code), 1)
  })

  test('a redemption rolls back with the checkout transaction that made it', async () => {
    const promo = await createPromotion(ctx, staff, { kind: 'free_shipping', usageLimit: 1 })
    const promotions = redeemer(ctx)
    await assert.rejects(
      promotions.run(async (tx) => {
        await promotions.service.redeem(tx, {
          code: promo.code,
          orderId: 'ord_rollback',
          customerId: null,
          email: 'x@example.test',
          currency: 'EUR',
          subtotal: 100,
          shipping: 490,
        })
        throw new Error('payment declined')
      }),
      /payment declined/,
    )
    assert.equal(await timesUsed(ctx, promo.code), 0)
    assert.equal(await redemptionCount(ctx, promo.code), 0)
  })
})
