import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'

describe(`mail ownership on ${engine}`, () => {
  let ctx: TestContext

  before(async () => {
    ctx = await createTestContext()
  })
  after(async () => ctx.close())

  test('the notifications module holds every mail consumer, one per event, under the names they had', () => {
    const mailConsumers = ctx.runtime.modules.runtimes.flatMap((runtime) =>
      (runtime.subscriptions ?? [])
        .filter((s) => s.consumer.endsWith('-mail'))
        .map((s) => ({ module: runtime.name, type: s.type, consumer: s.consumer })),
    )
    assert.ok(mailConsumers.every((s) => s.module === 'notifications'))
    // Renaming one would mail again every event processed under the old name.
    assert.deepEqual(Object.fromEntries(mailConsumers.map((s) => [s.type, s.consumer])), {
      'order.paid': 'orders.confirmation-mail',
      'order.fulfilled': 'orders.shipped-mail',
      'order.refunded': 'orders.refund-mail',
      'order.cancelled': 'orders.cancel-mail',
      'cart.abandoned': 'carts.abandoned-mail',
      'customer.created': 'auth.welcome-mail',
      'auth.email_verification_requested': 'auth.verification-mail',
      'auth.password_reset_requested': 'auth.password-reset-mail',
      'webhook_endpoint.disabled': 'webhooks.disabled-mail',
      'wishlist.back_in_stock': 'wishlists.back-in-stock-mail',
      'wishlist.price_dropped': 'wishlists.price-drop-mail',
      'review.created': 'reviews.moderation-mail',
    })
    assert.equal(new Set(mailConsumers.map((s) => s.type)).size, mailConsumers.length)
  })

  test('the low-stock digest is a notifications job, still under its scheduled name', () => {
    const jobs = ctx.runtime.modules.runtimes.flatMap((r) =>
      (r.jobs ?? []).map((j) => ({ module: r.name, name: j.name, schedule: j.schedule })),
    )
    assert.deepEqual(
      jobs.filter((j) => j.name.includes('digest')),
      [{ module: 'notifications', name: 'inventory.low-stock-digest', schedule: '0 7 * * *' }],
    )
  })
})
