import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { readMailDir, tempDataDir } from '../helpers/mailbox.js'
import { cartWith, headersOf, stockedVariant } from '../checkout/support.js'

let ctx: TestContext
let dataDir: Awaited<ReturnType<typeof tempDataDir>>

before(async () => {
  dataDir = await tempDataDir()
  ctx = await createTestContext({ DATA_DIR: dataDir.dir, ABANDONED_CART_AFTER_HOURS: '4' })
})
after(async () => {
  await ctx.close()
  await dataDir.cleanup()
})

async function cartOf(email: string | null, items: number) {
  const staff = await ctx.tokenFor('staff')
  const variantId = await stockedVariant(ctx, staff, 5)
  const shopper = await cartWith(ctx, items > 0 ? [{ variantId, quantity: items }] : [])
  if (email)
    await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/carts/${shopper.cartId}`,
      headers: headersOf(shopper),
      payload: { email },
    })
  return shopper.cartId
}

const age = (cartId: string, hours: number) =>
  sql`update carts.cart set updated_at = now() - make_interval(hours => ${hours}) where id = ${cartId}`.execute(
    ctx.database.db,
  )

test(`an abandoned cart gets one reminder, through the outbox (${engine})`, async () => {
  const email = `shopper-${uniqueSuffix()}@example.test`
  const abandoned = await cartOf(email, 2)
  const recent = await cartOf(`recent-${uniqueSuffix()}@example.test`, 1)
  const anonymous = await cartOf(null, 1)
  const empty = await cartOf(`empty-${uniqueSuffix()}@example.test`, 0)
  await age(abandoned, 5)
  await age(anonymous, 5)
  await age(empty, 5)
  await age(recent, 3)
  const customer = await ctx.tokenFor('customer')
  const staff = await ctx.tokenFor('staff')
  const customerCart = (
    await cartWith(ctx, [{ variantId: await stockedVariant(ctx, staff, 3), quantity: 1 }], customer)
  ).cartId
  await age(customerCart, 5)
  const me = (
    await ctx.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${customer}` },
    })
  ).json() as { email: string }
  const { remindBatch } = ctx.runtime.modules.carts.abandoned
  assert.equal(
    await remindBatch(),
    2,
    "the carts with items and an email (given, or the customer's), untouched for 4 h",
  )
  assert.equal(await remindBatch(), 0, 'once per cart')
  await ctx.runtime.relay.drain()
  const mails = (await readMailDir(dataDir.dir)).filter((m) => m.to === email)
  assert.equal(mails.length, 1)
  assert.match(mails[0]!.subject, /You left something in your cart/)
  assert.match(mails[0]!.body, /still holds 2 items/)
  assert.ok(mails[0]!.body.includes(abandoned), 'the link leads back to the cart')
  const toCustomer = (await readMailDir(dataDir.dir)).filter(
    (m) => m.to === me.email && /You left something/.test(m.subject),
  )
  assert.equal(toCustomer.length, 1, "a customer's cart reminds the account's address")
})
