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

async function cartOf(email: string | null, items: number, reminderConsent = true) {
  const staff = await ctx.tokenFor('staff')
  const variantId = await stockedVariant(ctx, staff, 5)
  const shopper = await cartWith(ctx, items > 0 ? [{ variantId, quantity: items }] : [])
  if (email) {
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/carts/${shopper.cartId}`,
      headers: headersOf(shopper),
      payload: reminderConsent ? { email, reminderConsent } : { email },
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal((res.json() as { reminderConsent: boolean }).reminderConsent, reminderConsent)
  }
  return shopper.cartId
}

const unsubscribeTokenIn = (body: string) => {
  const match = /unsubscribe\?token=([A-Za-z0-9_-]+)/.exec(body)
  assert.ok(match?.[1], 'the reminder carries an unsubscribe link')
  return match[1]
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
  const typedIn = `victim-${uniqueSuffix()}@example.test`
  const withoutConsent = await cartOf(typedIn, 3, false)
  await age(withoutConsent, 5)
  await age(abandoned, 5)
  await age(anonymous, 5)
  await age(empty, 5)
  await age(recent, 3)
  const customer = await ctx.tokenFor('customer')
  const staff = await ctx.tokenFor('staff')
  const customerShopper = await cartWith(
    ctx,
    [{ variantId: await stockedVariant(ctx, staff, 3), quantity: 1 }],
    customer,
  )
  const customerCart = customerShopper.cartId
  // An address typed on a customer's cart is not where the reminder goes: the account's is.
  const typedByCustomer = `typed-${uniqueSuffix()}@example.test`
  await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/carts/${customerCart}`,
    headers: headersOf(customerShopper),
    payload: { email: typedByCustomer, reminderConsent: true },
  })
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
    "the customer's cart and the guest cart with consent, with items, untouched for 4 h",
  )
  assert.equal(await remindBatch(), 0, 'once per cart')
  await ctx.runtime.relay.drain()
  const mails = (await readMailDir(dataDir.dir)).filter((m) => m.to === email)
  assert.equal(mails.length, 1)
  assert.match(mails[0]!.subject, /You left something in your cart/)
  assert.match(mails[0]!.body, /still holds 2 items/)
  assert.ok(mails[0]!.body.includes(abandoned), 'the link leads back to the cart')
  const token = unsubscribeTokenIn(mails[0]!.body)
  assert.match(
    mails[0]!.body,
    new RegExp(`^List-Unsubscribe:\\s+<http[^>]*/v1/unsubscribe\\?token=${token}>`, 'm'),
  )
  assert.match(mails[0]!.body, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m)
  const all = await readMailDir(dataDir.dir)
  assert.equal(all.filter((m) => m.to === typedIn).length, 0, 'no consent, no reminder')
  assert.equal(all.filter((m) => m.to === typedByCustomer).length, 0)
  const toCustomer = (await readMailDir(dataDir.dir)).filter(
    (m) => m.to === me.email && /You left something/.test(m.subject),
  )
  assert.equal(toCustomer.length, 1, "a customer's cart reminds the account's address")
})

test(`after unsubscribing, an address gets no more reminders (${engine})`, async () => {
  const email = `unsub-${uniqueSuffix()}@example.test`
  const first = await cartOf(email, 1)
  await age(first, 5)
  const { remindBatch } = ctx.runtime.modules.carts.abandoned
  await remindBatch()
  await ctx.runtime.relay.drain()
  const mails = (await readMailDir(dataDir.dir)).filter((m) => m.to === email)
  assert.equal(mails.length, 1)
  const token = unsubscribeTokenIn(mails[0]!.body)

  const unknown = await ctx.app.inject({
    method: 'POST',
    url: '/v1/unsubscribe',
    payload: { token: 'unsub_not-a-real-token' },
  })
  assert.equal(unknown.statusCode, 404)
  assert.equal((unknown.json() as { code: string }).code, 'unsubscribe_token_invalid')
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/unsubscribe', payload: { token } })
  assert.equal(res.statusCode, 204, res.body)
  // RFC 8058 one-click: the token in the URL, a form body; repeating is harmless.
  const oneClick = await ctx.app.inject({
    method: 'POST',
    url: `/v1/unsubscribe?token=${token}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  })
  assert.equal(oneClick.statusCode, 204, oneClick.body)

  const second = await cartOf(email.toUpperCase(), 2)
  await age(second, 5)
  await remindBatch()
  await ctx.runtime.relay.drain()
  const after = (await readMailDir(dataDir.dir)).filter((m) => m.to === email)
  assert.equal(after.length, 1, 'no second reminder to an unsubscribed address')
})
