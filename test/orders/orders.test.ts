import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { cartWith, checkout, stockOf, stockedVariant, type OrderBody } from '../checkout/support.js'

let ctx: TestContext
let staff: string
let admin: string

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
  admin = await ctx.tokenFor('admin')
})
after(() => ctx.close())

const call = (
  method: 'GET' | 'POST',
  url: string,
  bearer?: string,
  payload?: object,
  headers = {},
) =>
  ctx.app.inject({
    method,
    url,
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
    ...(payload ? { payload } : {}),
  })

async function paidOrder(bearer?: string, quantity = 1, onHand = 5) {
  const variantId = await stockedVariant(ctx, staff, onHand)
  const res = await checkout(ctx, await cartWith(ctx, [{ variantId, quantity }], bearer))
  assert.equal(res.statusCode, 201, res.body)
  return { variantId, ...(res.json() as { order: OrderBody; orderToken: string | null }) }
}

describe(`a customer's orders (${engine})`, () => {
  test('lists and reads only their own; another customer gets 404', async () => {
    const alice = await ctx.tokenFor('customer')
    const bob = await ctx.tokenFor('customer')
    const { order, orderToken } = await paidOrder(alice)
    assert.equal(orderToken, null, 'a customer order needs no token')
    const mine = await call('GET', '/v1/orders', alice)
    assert.equal(mine.statusCode, 200)
    assert.deepEqual(
      mine.json().data.map((o: OrderBody) => o.id),
      [order.id],
    )
    assert.equal((await call('GET', `/v1/orders/${order.id}`, alice)).statusCode, 200)
    assert.equal((await call('GET', `/v1/orders/${order.id}`, bob)).statusCode, 404)
    assert.deepEqual((await call('GET', '/v1/orders', bob)).json().data, [])
    assert.equal((await call('GET', '/v1/orders')).statusCode, 401)
    assert.equal((await call('POST', `/v1/orders/${order.id}/cancel`, bob)).statusCode, 404)
  })

  test('cancels a paid order: refunded in full, stock restored; a second cancel is 409', async () => {
    const customer = await ctx.tokenFor('customer')
    const { order, variantId } = await paidOrder(customer, 2, 4)
    assert.equal((await stockOf(ctx, variantId)).onHand, 2)
    const res = await call('POST', `/v1/orders/${order.id}/cancel`, customer)
    assert.equal(res.statusCode, 200, res.body)
    const cancelled = res.json() as OrderBody
    assert.equal(cancelled.status, 'cancelled')
    assert.equal(cancelled.payment.status, 'refunded')
    assert.equal(cancelled.payment.refunded.amount, order.totals.total.amount)
    assert.equal((await stockOf(ctx, variantId)).onHand, 4)
    const again = await call('POST', `/v1/orders/${order.id}/cancel`, customer)
    assert.equal(again.statusCode, 409)
    assert.equal(again.json().code, 'invalid_order_transition')
  })

  test('a guest cancels with the X-Order-Token', async () => {
    const { order, orderToken } = await paidOrder()
    const without = await call('POST', `/v1/orders/${order.id}/cancel`)
    assert.equal(without.statusCode, 404)
    const res = await call('POST', `/v1/orders/${order.id}/cancel`, undefined, undefined, {
      'x-order-token': orderToken!,
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().status, 'cancelled')
  })
})

describe(`staff and the order state machine (${engine})`, () => {
  test('guards: no fulfilment before payment, no delivery before fulfilment', async () => {
    const variantId = await stockedVariant(ctx, staff, 2)
    const pending = (
      await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 1 }]), 'tok_timeout')
    ).json().order as OrderBody
    const fulfil = await call('POST', `/v1/admin/orders/${pending.id}/fulfillments`, staff, {})
    assert.equal(fulfil.statusCode, 409)
    assert.equal(fulfil.json().code, 'invalid_order_transition')
    const cancel = await call('POST', `/v1/orders/${pending.id}/cancel`, undefined, undefined, {})
    assert.equal(cancel.statusCode, 404)
    const { order } = await paidOrder()
    const deliver = await call('POST', `/v1/admin/orders/${order.id}/delivered`, staff)
    assert.equal(deliver.statusCode, 409)
  })

  test('fulfil with tracking, deliver, partial then full refund; more is 409', async () => {
    const { order, orderToken } = await paidOrder(undefined, 2)
    const total = order.totals.total.amount
    const fulfilled = await call('POST', `/v1/admin/orders/${order.id}/fulfillments`, staff, {
      trackingNumber: 'TRK-1',
      carrier: 'DHL',
    })
    assert.equal(fulfilled.statusCode, 201, fulfilled.body)
    assert.equal(fulfilled.json().status, 'fulfilled')
    assert.equal(fulfilled.json().fulfillments[0].trackingNumber, 'TRK-1')
    const cancel = await call('POST', `/v1/orders/${order.id}/cancel`, undefined, undefined, {
      'x-order-token': orderToken!,
    })
    assert.equal(cancel.statusCode, 409, 'a shipped order is not cancelled')
    assert.equal(
      (await call('POST', `/v1/admin/orders/${order.id}/delivered`, staff)).json().status,
      'delivered',
    )
    assert.equal(
      (await call('POST', `/v1/admin/orders/${order.id}/refunds`, staff, { amount: 100 }))
        .statusCode,
      403,
      'staff may not refund',
    )
    const key = `refund-${uniqueSuffix()}`
    const partial = await call(
      'POST',
      `/v1/admin/orders/${order.id}/refunds`,
      admin,
      { amount: 500, reason: 'scratched' },
      { 'idempotency-key': key },
    )
    assert.equal(partial.statusCode, 201, partial.body)
    assert.equal(partial.json().status, 'delivered')
    assert.equal(partial.json().payment.status, 'partially_refunded')
    const replay = await call(
      'POST',
      `/v1/admin/orders/${order.id}/refunds`,
      admin,
      { amount: 500, reason: 'scratched' },
      { 'idempotency-key': key },
    )
    assert.equal(replay.headers['idempotent-replayed'], 'true')
    assert.equal(replay.json().payment.refunded.amount, 500, 'the retry refunded nothing more')
    const tooMuch = await call('POST', `/v1/admin/orders/${order.id}/refunds`, admin, {
      amount: total,
    })
    assert.equal(tooMuch.statusCode, 409)
    assert.equal(tooMuch.json().code, 'refund_exceeds_payment')
    const rest = await call('POST', `/v1/admin/orders/${order.id}/refunds`, admin, {})
    assert.equal(rest.statusCode, 201, rest.body)
    assert.equal(rest.json().status, 'refunded')
    assert.equal(rest.json().payment.refunded.amount, total)
    const provider = await ctx.runtime.modules.payments.providers.byName('test').lookup(order.id)
    assert.equal(provider?.refunded, total, "the provider's books agree")
  })

  test('staff list, filter and search orders; notes stay internal', async () => {
    const email = `filter-${uniqueSuffix()}@example.test`
    const variantId = await stockedVariant(ctx, staff, 3)
    const res = await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 1 }]), 'tok_visa', {
      email,
    })
    const { order, orderToken } = res.json() as { order: OrderBody; orderToken: string }
    const byEmail = await call('GET', `/v1/admin/orders?email=${encodeURIComponent(email)}`, staff)
    assert.deepEqual(
      byEmail.json().data.map((o: OrderBody) => o.id),
      [order.id],
    )
    const byNumber = await call('GET', `/v1/admin/orders?q=${order.number}`, staff)
    assert.deepEqual(
      byNumber.json().data.map((o: OrderBody) => o.id),
      [order.id],
    )
    const paid = await call('GET', '/v1/admin/orders?status=paid&limit=1', staff)
    assert.equal(paid.json().data.length, 1)
    assert.equal(paid.json().page.hasMore, true)
    const next = await call(
      'GET',
      `/v1/admin/orders?status=paid&limit=1&cursor=${paid.json().page.nextCursor}`,
      staff,
    )
    assert.notEqual(next.json().data[0].id, paid.json().data[0].id)
    assert.equal((await call('GET', '/v1/admin/orders?status=lost', staff)).statusCode, 400)
    const customer = await ctx.tokenFor('customer')
    assert.equal((await call('GET', '/v1/admin/orders', customer)).statusCode, 403)
    const noted = await call('POST', `/v1/admin/orders/${order.id}/notes`, staff, { text: 'VIP' })
    assert.equal(noted.statusCode, 201)
    assert.equal(noted.json().notes[0].text, 'VIP')
    const asGuest = await call('GET', `/v1/orders/${order.id}`, undefined, undefined, {
      'x-order-token': orderToken,
    })
    assert.equal(asGuest.json().notes, undefined)
    assert.ok(!asGuest.json().history.some((h: { type: string }) => h.type === 'order.note_added'))
  })
})

describe(`the order history (${engine})`, () => {
  test('the projection equals the order rebuilt from its events', async () => {
    const { order } = await paidOrder(undefined, 3, 6)
    await call('POST', `/v1/admin/orders/${order.id}/notes`, staff, { text: 'gift wrap' })
    await call('POST', `/v1/admin/orders/${order.id}/fulfillments`, staff, {
      trackingNumber: 'T-9',
    })
    await call('POST', `/v1/admin/orders/${order.id}/refunds`, admin, { amount: 250 })
    const { stored, replayed } = await ctx.runtime.modules.orders.service.rebuild(order.id)
    assert.equal(stored.version, 5)
    assert.equal(stored.status, 'fulfilled')
    assert.equal(stored.payment.refunded, 250)
    assert.deepEqual(replayed, stored)
    const history = (await call('GET', `/v1/admin/orders/${order.id}`, staff)).json().history
    assert.deepEqual(
      history.map((h: { type: string }) => h.type),
      ['order.created', 'order.paid', 'order.note_added', 'order.fulfilled', 'order.refunded'],
    )
  })

  test('every change reaches the outbox as an order event', async () => {
    const { order } = await paidOrder()
    const rows = await ctx.database.db
      .selectFrom('platform.outbox' as never)
      .select(['type' as never])
      .where('aggregate_id' as never, '=', order.id as never)
      .orderBy('position' as never)
      .execute()
    assert.deepEqual(
      rows.map((r) => (r as { type: string }).type),
      ['order.created', 'order.paid'],
    )
  })
})
