import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createFlows } from '../../src/flows/index.js'
import { createUnitOfWork } from '../../src/platform/db/unit-of-work.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { statementsOf } from '../helpers/statements.js'
import { ADDRESS, cartWith, checkout, stockedVariant } from './support.js'

let ctx: TestContext
let staff: string

before(async () => {
  ctx = await createTestContext({ PAYMENT_TEST_TIMEOUT_DELAY_MS: '0' })
  staff = await ctx.tokenFor('staff')
})
after(() => ctx.close())

/** The statements sent between a begin and its commit, those two left out. */
function insideTransactions(statements: string[]): string[] {
  let open = false
  return statements.filter((s) => {
    if (/^\s*begin\b/i.test(s)) open = true
    else if (/^\s*(commit|rollback)\b/i.test(s)) open = false
    else return open
    return false
  })
}

/** Wraps a module's door so every method call through it is counted under `door.method`. */
function counting<T extends object>(door: string, target: T, calls: string[]): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver) as unknown
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        calls.push(`${door}.${String(key)}`)
        return (value as (...a: unknown[]) => unknown).apply(obj, args)
      }
    },
  })
}

describe(`the cost of one guest checkout (${engine})`, () => {
  test('a paid guest checkout runs 2 database transactions: reserve-and-create, then settle', async () => {
    const variantId = await stockedVariant(ctx, staff, 5)
    const shopper = await cartWith(ctx, [{ variantId, quantity: 1 }])
    let status = 0
    const statements = await statementsOf(async () => {
      status = (await checkout(ctx, shopper, 'tok_visa', { idempotencyKey: 'cost-1' })).statusCode
    })
    assert.equal(status, 201)
    const begins = statements.filter((s) => /^\s*begin\b/i.test(s)).length
    const commits = statements.filter((s) => /^\s*commit\b/i.test(s)).length
    const inside = insideTransactions(statements)
    console.log(
      `# guest checkout on ${engine}: ${statements.length} statements, ${begins} transactions ` +
        `holding ${inside.length}`,
    )
    assert.ok(begins <= 2, `${begins} transactions:\n${statements.join('\n')}`)
    assert.equal(commits, begins)
    // Reserve-and-create: close the cart, hold and record the line, create the order with its
    // history, the outbox. Settle: lock the order, lock the reservation, sell the line, its stock,
    // record paid, the outbox.
    assert.ok(inside.length <= 10, `${inside.length} in transactions:\n${inside.join('\n')}`)
    // Outside them: the idempotency claim and reply (2), the cart with its lines and its prices
    // (2), the test provider's own table (2), the order as the reply shows it (1), and after each
    // commit that changes stock the catalog's read-your-writes handler and its record (2 × 2),
    // run before the reply so the next read through this instance sees the new stock.
    const readYourWrites = statements.filter((s) =>
      /update catalog\.variant v set in_stock/.test(s),
    )
    assert.equal(readYourWrites.length, 2)
    assert.ok(statements.length <= 25, `${statements.length} statements:\n${statements.join('\n')}`)
  })

  test('adding a line to a cart runs 1 transaction of 3 statements and 3 reads around it', async () => {
    const variantId = await stockedVariant(ctx, staff, 5)
    const shopper = await cartWith(ctx, [])
    let status = 0
    const statements = await statementsOf(async () => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: `/v1/carts/${shopper.cartId}/items`,
        headers: { 'x-cart-token': shopper.cartToken! },
        payload: { variantId, quantity: 2 },
      })
      status = res.statusCode
    })
    assert.equal(status, 201)
    const inside = insideTransactions(statements)
    console.log(
      `# add to cart on ${engine}: ${statements.length} statements, ${inside.length} in a transaction`,
    )
    // Lock the cart (moving its version), its lines under the lock, the insert.
    assert.equal(inside.length, 3, inside.join('\n'))
    // Before: the cart with its lines, the prices; after: the cart again, with the same prices.
    assert.ok(statements.length <= 8, `${statements.length} statements:\n${statements.join('\n')}`)
  })

  test('a paid guest checkout crosses the module doors 10 times, each once', async () => {
    const { modules } = ctx.runtime
    const variantId = await stockedVariant(ctx, staff, 5)
    const shopper = await cartWith(ctx, [{ variantId, quantity: 1 }])
    const calls: string[] = []
    const flows = createFlows({
      uow: createUnitOfWork(ctx.database.db, () => {}),
      logger: ctx.runtime.logger,
      settings: ctx.config.checkout,
      metrics: ctx.runtime.metrics,
      carts: counting('carts', modules.carts.service, calls),
      inventory: counting('inventory', modules.inventory.service, calls),
      orders: counting('orders', modules.orders.service, calls),
      refunds: counting('refunds', modules.orders.refunds, calls),
      promotions: counting('promotions', modules.promotions.service, calls),
      // Picking a provider is a lookup in memory; the calls to the provider are the crossings.
      payments: {
        ...modules.payments.providers,
        forPayment: (method, token) =>
          counting('payments', modules.payments.providers.forPayment(method, token), calls),
        byName: (name) => counting('payments', modules.payments.providers.byName(name), calls),
      },
      catalog: counting('catalog', modules.catalog.service, calls),
    })
    const { order } = await flows.placeOrder.checkout(
      { customerId: null, token: shopper.cartToken },
      shopper.cartId,
      {
        email: 'cost@example.test',
        shippingAddress: ADDRESS,
        payment: { method: 'card', token: 'tok_visa' },
      },
    )
    assert.equal(order.status, 'paid')
    console.log(`# guest checkout door crossings: ${calls.length}: ${calls.join(' → ')}`)
    assert.deepEqual(calls, [
      'carts.checkoutSnapshot',
      'carts.close',
      'inventory.reserve',
      'orders.create',
      'payments.authorize',
      'payments.capture',
      'orders.lockState',
      'inventory.commit',
      'orders.record',
      'orders.ownerView',
    ])
  })
})
