import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { emittedEvents } from '../helpers/events.js'
import { tempDataDir } from '../helpers/mailbox.js'
import { startSmtp, type TestSmtp } from '../helpers/smtp.js'
import { add, product, setPrice, setStock } from './support.js'

describe(`wishlist alerts by mail on ${engine}`, () => {
  let ctx: TestContext
  let smtp: TestSmtp
  let data: Awaited<ReturnType<typeof tempDataDir>>
  let staff: string

  before(async () => {
    smtp = await startSmtp()
    data = await tempDataDir()
    ctx = await createTestContext({
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: 'Test Shop <shop@example.test>',
      DATA_DIR: data.dir,
      PUBLIC_URL: 'https://api.shop.example',
    })
    staff = await ctx.tokenFor('staff')
  })
  after(async () => {
    await ctx.close()
    await smtp.close()
    await data.cleanup()
  })

  /** A signed-in customer and the address the shop mails. */
  async function customer(optIn?: { notifyBackInStock?: boolean; notifyPriceDrop?: boolean }) {
    const token = await ctx.tokenFor('customer')
    const { email } = (await ctx.as(token).get('/v1/me')).json() as { email: string }
    if (optIn) {
      const res = await ctx.as(token).patch('/v1/me/wishlist', optIn)
      assert.equal(res.statusCode, 200, res.body)
    }
    return { token, email: email.toLowerCase() }
  }
  const mailsTo = (email: string, subject: RegExp) =>
    smtp.inbox.filter((m) => m.to.includes(email) && subject.test(m.raw))

  test('settings: alerts are off by default and opt in one by one', async () => {
    const c = await customer()
    const res = await ctx.as(c.token).patch('/v1/me/wishlist', { notifyBackInStock: true })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().notifyBackInStock, true)
    assert.equal(res.json().notifyPriceDrop, false)
  })

  test('back in stock: one mail to the opted-in customer when stock goes 0 → >0, none to others', async () => {
    const p = await product(ctx, staff, { title: 'Linen <Apron>', variants: [{ onHand: 0 }] })
    const variantId = p.variants[0]!
    const optedIn = await customer({ notifyBackInStock: true })
    const wholeProduct = await customer({ notifyBackInStock: true })
    const notOptedIn = await customer({ notifyPriceDrop: true })
    await add(ctx, optedIn.token, { productId: p.id, variantId })
    await add(ctx, wholeProduct.token, { productId: p.id })
    await add(ctx, notOptedIn.token, { productId: p.id, variantId })
    await ctx.runtime.relay.drain()

    await setStock(ctx, staff, variantId, 5)
    await ctx.runtime.relay.drain()
    const subject = /^Subject: Back in stock: Linen <Apron>$/m
    const mails = mailsTo(optedIn.email, subject)
    assert.equal(mails.length, 1)
    assert.equal(mailsTo(wholeProduct.email, subject).length, 1, 'the product as a whole too')
    assert.equal(mailsTo(notOptedIn.email, subject).length, 0, 'no opt-in, no mail')
    const raw = mails[0]!.raw
    assert.ok(raw.includes(`/products/${p.slug}`))
    assert.ok(raw.includes('Linen &lt;Apron&gt;'), 'escaped in HTML')
    assert.ok(!raw.includes('<p>Good news: Linen <Apron>'))
    assert.match(
      raw,
      /^List-Unsubscribe:\s+<https:\/\/api\.shop\.example\/v1\/wishlists\/alerts\/unsubscribe\?token=wlu_[A-Za-z0-9_-]+>/m,
    )

    // Still in stock, or a redelivery of the same change: no second mail.
    await setStock(ctx, staff, variantId, 7)
    await ctx.runtime.relay.drain()
    assert.equal(mailsTo(optedIn.email, subject).length, 1)
    // Out of stock and back again is a new change: a new mail.
    await setStock(ctx, staff, variantId, 0)
    await ctx.runtime.relay.drain()
    await setStock(ctx, staff, variantId, 2)
    await ctx.runtime.relay.drain()
    assert.equal(mailsTo(optedIn.email, subject).length, 2)
  })

  test('price drop: a mail after an admin lowers the price, once per drop', async () => {
    const p = await product(ctx, staff, { title: 'Oak Board', variants: [{ price: 5000 }] })
    const variantId = p.variants[0]!
    const optedIn = await customer({ notifyPriceDrop: true })
    const notOptedIn = await customer({ notifyBackInStock: true })
    await add(ctx, optedIn.token, { productId: p.id })
    await add(ctx, notOptedIn.token, { productId: p.id, variantId })

    await setPrice(ctx, staff, p.id, variantId, 4000)
    await ctx.runtime.relay.drain()
    const subject = /^Subject: Price drop: Oak Board$/m
    const mails = mailsTo(optedIn.email, subject)
    assert.equal(mails.length, 1)
    assert.ok(mails[0]!.raw.includes('now costs 40.00 EUR (it was 50.00 EUR)'))
    assert.equal(mailsTo(notOptedIn.email, subject).length, 0)

    // An unrelated change, a rise, and a fall back to the notified price: no new mail.
    const retitle = await ctx.as(staff).patch(`/v1/admin/products/${p.id}`, {
      description: 'Now oiled.',
    })
    assert.equal(retitle.statusCode, 200)
    await setPrice(ctx, staff, p.id, variantId, 4500)
    await setPrice(ctx, staff, p.id, variantId, 4000)
    await ctx.runtime.relay.drain()
    assert.equal(mailsTo(optedIn.email, subject).length, 1)
    // Below the last notified price: a new drop.
    await setPrice(ctx, staff, p.id, variantId, 3500)
    await ctx.runtime.relay.drain()
    assert.equal(mailsTo(optedIn.email, subject).length, 2)
  })

  test('a redelivered stock or product event alerts no second time', async () => {
    const p = await product(ctx, staff, { variants: [{ onHand: 0, price: 800 }] })
    const variantId = p.variants[0]!
    const c = await customer({ notifyBackInStock: true, notifyPriceDrop: true })
    await add(ctx, c.token, { productId: p.id, variantId })
    await setStock(ctx, staff, variantId, 3)
    await setPrice(ctx, staff, p.id, variantId, 700)
    await ctx.runtime.relay.drain()
    const { alerts } = ctx.runtime.modules.wishlists
    // The same change handled again, and at once by two deliveries.
    const stock = { variantId, onHand: 3, reserved: 0, available: 3, version: 99 }
    await Promise.all([alerts.stockChanged(stock), alerts.stockChanged(stock)])
    await Promise.all([alerts.reconcileProduct(p.id), alerts.reconcileProduct(p.id)])
    const { rows } = await sql<{ id: string }>`
      select w.id from wishlists.wishlist w join wishlists.item i on i.wishlist_id = w.id
      where i.product_id = ${p.id}`.execute(ctx.database.db)
    const events = await emittedEvents(ctx, rows[0]!.id)
    assert.deepEqual(
      events.map((e) => e.type),
      ['wishlist.back_in_stock', 'wishlist.price_dropped'],
    )
    await ctx.runtime.relay.drain()
    assert.equal(mailsTo(c.email, /^Subject: Back in stock:/m).length, 1)
    assert.equal(mailsTo(c.email, /^Subject: Price drop:/m).length, 1)
  })

  test('the one-click unsubscribe turns that kind of alert off', async () => {
    const p = await product(ctx, staff, { title: 'Clay Mug', variants: [{ price: 1500 }] })
    const c = await customer({ notifyPriceDrop: true, notifyBackInStock: true })
    await add(ctx, c.token, { productId: p.id })
    await setPrice(ctx, staff, p.id, p.variants[0]!, 1200)
    await ctx.runtime.relay.drain()
    const [mail] = mailsTo(c.email, /^Subject: Price drop: Clay Mug$/m)
    assert.ok(mail)
    const token = /alerts\/unsubscribe\?token=(wlu_[A-Za-z0-9_-]+)/.exec(mail.raw)?.[1]
    assert.ok(token)
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/wishlists/alerts/unsubscribe?token=${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    })
    assert.equal(res.statusCode, 204, res.body)
    const settings = (await ctx.as(c.token).get('/v1/me/wishlist')).json()
    assert.equal(settings.notifyPriceDrop, false)
    assert.equal(settings.notifyBackInStock, true, 'only the kind the mail was about')
    await setPrice(ctx, staff, p.id, p.variants[0]!, 900)
    await ctx.runtime.relay.drain()
    assert.equal(mailsTo(c.email, /^Subject: Price drop: Clay Mug$/m).length, 1)
    const unknown = await ctx.as().post('/v1/wishlists/alerts/unsubscribe', { token: 'wlu_nope' })
    assert.equal(unknown.statusCode, 404)
    assert.equal(unknown.json().code, 'unsubscribe_token_invalid')
  })
})
