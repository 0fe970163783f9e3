import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { cartWith, checkout, stockedVariant, type OrderBody } from '../checkout/support.js'
import { uniqueSuffix } from '../helpers/context.js'
import { signIn, signedIn, startDashboard, totpCode, type Dashboard, until } from './support.js'

let dash: Dashboard
let adminToken: string

before(async () => {
  dash = await startDashboard()
  adminToken = await dash.ctx.tokenFor('admin')
})
after(async () => {
  await dash?.close()
})

/** A paid order (the test payment provider's card) of 2 × €25.00. */
async function paidOrder(): Promise<OrderBody> {
  const variantId = await stockedVariant(dash.ctx, adminToken, 10)
  const shopper = await cartWith(dash.ctx, [{ variantId, quantity: 2 }])
  const res = await checkout(dash.ctx, shopper, 'tok_visa', {
    email: `buyer-${uniqueSuffix()}@example.test`,
  })
  assert.equal(res.statusCode, 201, res.body)
  const { order } = res.json() as { order: OrderBody }
  assert.equal(order.status, 'paid')
  return order
}

async function adminGet(url: string) {
  const res = await dash.ctx.as(adminToken).get(url)
  assert.equal(res.statusCode, 200, res.body)
  return res.json()
}

describe('signing in', () => {
  test('an admin signs in with email and password and sees the navigation', async () => {
    const admin = await dash.account('admin')
    const page = await dash.page()
    await signIn(page, admin)
    const nav = page.getByRole('navigation', { name: 'Main' })
    for (const name of ['Products', 'Orders', 'Customers', 'Promotions', 'Webhooks']) {
      await nav.getByRole('link', { name }).waitFor()
    }
    // A reload keeps no token in the page: the refresh cookie signs the admin back in.
    await page.reload()
    await nav.getByRole('link', { name: 'Orders' }).waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByText('You have signed out.').waitFor()
    await page.reload()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
  })

  test('an admin turns on TOTP in the dashboard, then signs in with a code', async () => {
    const admin = await dash.account('admin')
    const page = await dash.page()
    await signedIn(page, admin)
    await page.getByRole('link', { name: 'Two-factor sign-in' }).click()
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click()
    const secret = (await page.locator('code.secret').textContent())!.trim()
    await page.getByLabel('Code from the app').fill(totpCode(secret, -1))
    await page.getByRole('button', { name: 'Turn on' }).click()
    await page.getByText('Two-factor sign-in is on.').waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()

    await signIn(page, admin)
    await page.getByLabel('Authentication code').fill('000000')
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.getByRole('alert').waitFor()
    // The next step's code: enrolment spent an earlier one, and the server accepts ±1 step.
    await page.getByLabel('Authentication code').fill(totpCode(secret, 1))
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    const mfa = await dash.ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: admin.email, password: admin.password },
    })
    assert.equal(mfa.json().mfaRequired, true)
  })

  test('a session revoked elsewhere returns to the sign-in form with a message', async () => {
    const admin = await dash.account('admin')
    const page = await dash.page()
    await signIn(page, admin)
    await page.getByRole('link', { name: 'Products', exact: true }).waitFor()
    const other = await dash.ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: admin.email, password: admin.password },
    })
    const all = await dash.ctx.as(other.json().accessToken).post('/v1/auth/logout-all', {})
    assert.equal(all.statusCode, 204)
    await page.getByRole('link', { name: 'Products', exact: true }).click()
    await page.getByText('Your session has expired. Sign in again.').waitFor()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
  })
})

describe('products', () => {
  test('an admin creates a product, edits it, and is told of a conflicting change', async () => {
    const admin = await dash.account('admin')
    const page = await dash.page()
    await signIn(page, admin)
    await page.getByRole('link', { name: 'Products', exact: true }).click()
    await page.getByRole('link', { name: 'New product' }).click()
    const title = `Linen apron ${uniqueSuffix()}`
    const sku = `APRON-${uniqueSuffix()}`.toUpperCase()
    await page.getByLabel('Title').fill(title)
    await page.getByLabel('SKU').fill(sku)
    await page.getByLabel('Price').fill('29,50')
    await page.getByLabel('Stock').fill('12')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('heading', { name: title }).waitFor()

    const found = await adminGet(`/v1/admin/products?q=${encodeURIComponent(title)}`)
    const created = found.data[0]
    assert.equal(created.title, title)
    assert.equal(created.variants[0].sku, sku)
    assert.deepEqual(created.variants[0].price, { amount: 2950, currency: 'EUR' })
    assert.equal(created.variants[0].onHand, 12)

    await page.getByLabel('Title').fill(`${title} (washed)`)
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('heading', { name: `${title} (washed)` }).waitFor()
    await page.getByRole('button', { name: 'Publish' }).click()
    await page.getByRole('button', { name: 'Unpublish' }).waitFor()

    // Someone else saves in between: this page's save is refused with a clear message.
    const other = await dash.ctx.as(adminToken).patch(`/v1/admin/products/${created.id}`, {
      description: 'Changed elsewhere',
    })
    assert.equal(other.statusCode, 200, other.body)
    await page.getByLabel('Title').fill(`${title} (mine)`)
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByText('Someone else changed this product').waitFor()
    await page.getByRole('button', { name: 'Reload' }).click()
    // The form starts again from the server's version, with the other change in it.
    await until(async () => (await page.locator('textarea').inputValue()) === 'Changed elsewhere')

    // The list finds it by its title.
    await page.getByRole('link', { name: 'Products', exact: true }).click()
    await page.getByLabel('Search products').fill('(washed)')
    await page.getByRole('link', { name: `${title} (washed)` }).waitFor()
  })
})

describe('orders', () => {
  test('an admin finds an order by number, fulfils it and refunds part of it', async () => {
    const order = await paidOrder()
    const admin = await dash.account('admin')
    const page = await dash.page()
    await signIn(page, admin)
    await page.getByRole('link', { name: 'Orders', exact: true }).click()
    await page.getByLabel('Search orders').fill(order.number)
    await page.getByRole('link', { name: order.number }).click()
    await page.getByRole('heading', { name: `Order ${order.number}` }).waitFor()
    await page.getByRole('heading', { name: 'Lines' }).waitFor()
    await page.getByText('Payment received').waitFor()

    await page.getByLabel('Carrier').fill('DHL')
    await page.getByLabel('Tracking number').fill('JD014600006281')
    await page.getByRole('button', { name: 'Mark as fulfilled' }).click()
    await page.locator('.order-status').getByText('Fulfilled').waitFor()
    await page.getByText('DHL, tracking JD014600006281').waitFor()

    await page.getByRole('button', { name: 'Refund' }).click()
    await page.getByLabel('Refund amount').fill('10')
    await page.getByLabel('Reason').fill('Damaged in transit')
    await page.getByRole('button', { name: 'Review refund' }).click()
    await page.getByRole('button', { name: 'Confirm refund of €10.00' }).click()
    await page.getByText('Partially refunded').waitFor()

    const after = await adminGet(`/v1/admin/orders/${order.id}`)
    assert.equal(after.status, 'fulfilled')
    assert.equal(after.payment.refunded.amount, 1000)
    assert.equal(after.fulfillments[0].trackingNumber, 'JD014600006281')
  })

  test('a status change made elsewhere appears on the open order page', async () => {
    const order = await paidOrder()
    const admin = await dash.account('admin')
    const page = await dash.page()
    await signedIn(page, admin)
    await page.goto(`/admin/orders/${order.id}`)
    await page.getByText('Live: changes appear as they happen').waitFor()
    await page.locator('.order-status').getByText('Paid').waitFor()
    const shipped = await dash.ctx
      .as(adminToken)
      .post(`/v1/admin/orders/${order.id}/fulfillments`, { carrier: 'UPS' })
    assert.equal(shipped.statusCode, 201, shipped.body)
    await page.locator('.order-status').getByText('Fulfilled').waitFor()
  })
})

describe('permissions', () => {
  test('a staff member sees neither admin pages nor the refund action, also on a phone', async () => {
    const order = await paidOrder()
    const staff = await dash.account('staff')
    const page = await dash.page({ width: 390, height: 844 })
    await signedIn(page, staff)
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('link', { name: 'Orders' }).waitFor()
    for (const name of ['Products', 'Customers', 'Promotions']) {
      await nav.getByRole('link', { name }).waitFor()
    }
    for (const name of ['Webhooks', 'Staff and API keys', 'Audit log', 'Jobs']) {
      assert.equal(await nav.getByRole('link', { name }).count(), 0, name)
    }
    await page.goto(`/admin/orders/${order.id}`)
    await page.getByRole('button', { name: 'Mark as fulfilled' }).waitFor()
    assert.equal(await page.getByRole('button', { name: 'Refund' }).count(), 0)
    await page.goto('/admin/webhooks')
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor()
  })
})
