import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { readMailDir, tempDataDir } from '../helpers/mailbox.js'
import {
  cartWith,
  checkout,
  headersOf,
  stockOf,
  stockedVariant,
  type OrderBody,
} from './support.js'

let ctx: TestContext
let staff: string
let dataDir: Awaited<ReturnType<typeof tempDataDir>>

before(async () => {
  dataDir = await tempDataDir()
  ctx = await createTestContext({ DATA_DIR: dataDir.dir, PAYMENT_TEST_TIMEOUT_DELAY_MS: '0' })
  staff = await ctx.tokenFor('staff')
})
after(async () => {
  await ctx.close()
  await dataDir.cleanup()
})

const getCart = (shopper: Awaited<ReturnType<typeof cartWith>>) =>
  ctx.app.inject({ method: 'GET', url: `/v1/carts/${shopper.cartId}`, headers: headersOf(shopper) })

describe(`checkout as a guest (${engine})`, () => {
  test('a card that succeeds: 201, the order is paid, the stock sold and the cart closed', async () => {
    const variantId = await stockedVariant(ctx, staff, 5)
    const shopper = await cartWith(ctx, [{ variantId, quantity: 2 }])
    const res = await checkout(ctx, shopper)
    assert.equal(res.statusCode, 201, res.body)
    const { order, orderToken } = res.json() as { order: OrderBody; orderToken: string }
    assert.equal(order.status, 'paid')
    assert.match(order.number, /^EMP-\d+$/)
    assert.equal(order.payment.status, 'paid')
    assert.equal(order.payment.amount.amount, order.totals.total.amount)
    assert.equal(order.totals.subtotal.amount, 5000)
    assert.deepEqual(
      order.history.map((h) => [h.type, h.status]),
      [
        ['order.created', 'pending_payment'],
        ['order.paid', 'paid'],
      ],
    )
    assert.match(orderToken, /^ot_/)
    assert.deepEqual(
      {
        onHand: (await stockOf(ctx, variantId)).onHand,
        reserved: (await stockOf(ctx, variantId)).reserved,
      },
      { onHand: 3, reserved: 0 },
    )
    assert.equal((await getCart(shopper)).json().status, 'ordered')
    const again = await checkout(ctx, shopper)
    assert.equal(again.statusCode, 409, 'an ordered cart cannot be checked out twice')
    assert.equal(again.json().code, 'cart_not_open')
  })

  test('a declined card: 402 payment_declined, the stock released and the cart usable again', async () => {
    const variantId = await stockedVariant(ctx, staff, 3)
    const shopper = await cartWith(ctx, [{ variantId, quantity: 3 }])
    const res = await checkout(ctx, shopper, 'tok_declined')
    assert.equal(res.statusCode, 402, res.body)
    assert.equal(res.json().code, 'payment_declined')
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    const level = await stockOf(ctx, variantId)
    assert.deepEqual([level.onHand, level.reserved, level.available], [3, 0, 3])
    const cancelled = await ctx.runtime.modules.orders.service.adminGet(res.json().orderId)
    assert.equal(cancelled.status, 'cancelled')
    assert.equal(cancelled.cancelReason, 'payment_declined')
    assert.equal((await getCart(shopper)).json().status, 'open')
    const retry = await checkout(ctx, shopper, 'tok_visa')
    assert.equal(retry.statusCode, 201, retry.body)
    assert.equal(retry.json().order.status, 'paid')
  })

  test('the order is read with its X-Order-Token and with nothing else', async () => {
    const variantId = await stockedVariant(ctx, staff, 2)
    const res = await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 1 }]))
    const { order, orderToken } = res.json() as { order: OrderBody; orderToken: string }
    const read = (token?: string) =>
      ctx.app.inject({
        method: 'GET',
        url: `/v1/orders/${order.id}`,
        headers: token ? { 'x-order-token': token } : {},
      })
    const ok = await read(orderToken)
    assert.equal(ok.statusCode, 200)
    assert.equal(ok.json().number, order.number)
    assert.equal((await read()).statusCode, 404)
    assert.equal((await read(`${orderToken.slice(0, -2)}xx`)).statusCode, 404)
    const customer = await ctx.tokenFor('customer')
    const asCustomer = await ctx.app.inject({
      method: 'GET',
      url: `/v1/orders/${order.id}`,
      headers: { authorization: `Bearer ${customer}` },
    })
    assert.equal(asCustomer.statusCode, 404, "a guest's order is nobody else's")
  })

  test('checkout validates its input and the cart before anything is reserved', async () => {
    const variantId = await stockedVariant(ctx, staff, 2)
    const shopper = await cartWith(ctx, [])
    const empty = await checkout(ctx, shopper)
    assert.equal(empty.statusCode, 409)
    assert.equal(empty.json().code, 'cart_empty')
    const bad = await ctx.app.inject({
      method: 'POST',
      url: `/v1/carts/${shopper.cartId}/checkout`,
      headers: headersOf(shopper),
      payload: {
        email: 'not-an-email',
        shippingAddress: {},
        payment: { method: 'cash', token: '' },
      },
    })
    assert.equal(bad.statusCode, 400)
    const other = await cartWith(ctx, [{ variantId, quantity: 1 }])
    const stranger = await checkout(ctx, { cartId: other.cartId })
    assert.equal(stranger.statusCode, 404, 'a guest cart without its token')
    assert.equal((await stockOf(ctx, variantId)).reserved, 0)
  })

  test('not enough stock: 409 out_of_stock, nothing held, no order paid', async () => {
    const variantId = await stockedVariant(ctx, staff, 1)
    const shopper = await cartWith(ctx, [{ variantId, quantity: 1 }])
    await ctx.runtime.modules.inventory.service.updateLevel(variantId, { onHand: 0 })
    const res = await checkout(ctx, shopper)
    assert.equal(res.statusCode, 409, res.body)
    assert.equal(res.json().code, 'out_of_stock')
    assert.equal(
      (await getCart(shopper)).json().status,
      'open',
      'the failed transaction closed nothing',
    )
  })
})

describe(`payments that time out (${engine})`, () => {
  test('tok_timeout: 201 pending_payment, then the reconciliation marks it paid exactly once', async () => {
    const variantId = await stockedVariant(ctx, staff, 4)
    const res = await checkout(
      ctx,
      await cartWith(ctx, [{ variantId, quantity: 2 }]),
      'tok_timeout',
    )
    assert.equal(res.statusCode, 201, res.body)
    const { order } = res.json() as { order: OrderBody }
    assert.equal(order.status, 'pending_payment')
    assert.equal((await stockOf(ctx, variantId)).reserved, 2)
    const { settlement } = ctx.runtime.modules.flows
    const future = new Date(Date.now() + 60_000)
    const [first, second] = await Promise.all([
      settlement.reconcileStale(future),
      settlement.reconcileStale(future),
    ])
    assert.equal(first.paid + second.paid, 1, 'two concurrent runs settle it once')
    assert.equal((await settlement.reconcileStale(future)).paid, 0)
    const paid = await ctx.runtime.modules.orders.service.adminGet(order.id)
    assert.equal(paid.status, 'paid')
    assert.equal(paid.history.filter((h) => h.type === 'order.paid').length, 1)
    const level = await stockOf(ctx, variantId)
    assert.deepEqual([level.onHand, level.reserved], [2, 0])
  })

  test('an order the provider never saw is cancelled and its stock released', async () => {
    const variantId = await stockedVariant(ctx, staff, 2)
    const res = await checkout(
      ctx,
      await cartWith(ctx, [{ variantId, quantity: 2 }]),
      'tok_timeout',
    )
    const { order } = res.json() as { order: OrderBody }
    // As if the process died before the provider was called: the provider has no record.
    await ctx.database.db
      .deleteFrom('payments.test_payment' as never)
      .where('idempotency_key' as never, '=', order.id as never)
      .execute()
    const counts = await ctx.runtime.modules.flows.settlement.reconcileStale(
      new Date(Date.now() + 60_000),
    )
    assert.equal(counts.cancelled, 1)
    const cancelled = await ctx.runtime.modules.orders.service.adminGet(order.id)
    assert.equal(cancelled.status, 'cancelled')
    assert.equal(cancelled.cancelReason, 'payment_not_completed')
    assert.equal((await stockOf(ctx, variantId)).available, 2)
  })
})

describe(`Idempotency-Key on checkout (${engine})`, () => {
  test('a retry gets the first reply and charges once; another body is 422', async () => {
    const variantId = await stockedVariant(ctx, staff, 5)
    const shopper = await cartWith(ctx, [{ variantId, quantity: 1 }])
    const key = `checkout-${uniqueSuffix()}`
    const first = await checkout(ctx, shopper, 'tok_visa', { idempotencyKey: key })
    const replay = await checkout(ctx, shopper, 'tok_visa', { idempotencyKey: key })
    assert.equal(first.statusCode, 201)
    assert.equal(replay.statusCode, 201)
    assert.equal(replay.headers['idempotent-replayed'], 'true')
    assert.deepEqual(replay.json(), first.json())
    const other = await checkout(ctx, shopper, 'tok_visa', {
      idempotencyKey: key,
      email: 'someone-else@example.test',
    })
    assert.equal(other.statusCode, 422)
    assert.equal((await stockOf(ctx, variantId)).onHand, 4, 'one sale')
  })
})

describe(`stock under concurrent checkouts (${engine})`, () => {
  test('ten shoppers race for the last three units: three orders, never below zero', async () => {
    const variantId = await stockedVariant(ctx, staff, 3)
    const shoppers = await Promise.all(
      Array.from({ length: 10 }, () => cartWith(ctx, [{ variantId, quantity: 1 }])),
    )
    const replies = await Promise.all(shoppers.map((s) => checkout(ctx, s)))
    const statuses = replies.map((r) => r.statusCode).sort()
    assert.deepEqual(statuses, [201, 201, 201, 409, 409, 409, 409, 409, 409, 409])
    for (const r of replies.filter((r) => r.statusCode === 409))
      assert.equal(r.json().code, 'out_of_stock')
    const level = await stockOf(ctx, variantId)
    assert.deepEqual([level.onHand, level.reserved, level.available], [0, 0, 0])
  })
})

describe(`order mails (${engine})`, () => {
  test('a paid order sends its confirmation with the lines and totals', async () => {
    const variantId = await stockedVariant(ctx, staff, 2, 1999)
    const email = `receipt-${uniqueSuffix()}@example.test`
    const res = await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 2 }]), 'tok_visa', {
      email,
    })
    const { order } = res.json() as { order: OrderBody }
    await ctx.runtime.relay.drain()
    const mail = (await readMailDir(dataDir.dir)).find((m) => m.to === email)
    assert.ok(mail, 'a confirmation mail')
    assert.match(mail.subject, new RegExp(`Order ${order.number} confirmed`))
    assert.match(mail.body, /2 x .* at 19\.99 EUR: 39\.98 EUR/)
    assert.match(mail.body, new RegExp(`Total ${(order.totals.total.amount / 100).toFixed(2)} EUR`))
  })
})
