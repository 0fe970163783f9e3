// Takes the dashboard screenshots in docs/images/ (1280×800, and one at phone size): starts the
// app on a throwaway embedded database with the demo catalog and a few orders, signs in with
// Debian's Chromium, and saves each page. Run: `npx tsx scripts/admin-screenshots.ts`.
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { cartWith, checkout } from '../test/checkout/support.js'
import { signedIn, startDashboard } from '../test/admin/support.js'

const OUT = 'docs/images'

async function shot(page: Page, name: string, waitFor: string, fullPage = false) {
  await page.getByText(waitFor).first().waitFor()
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage })
  console.log(`${OUT}/${name}.png`)
}

const dash = await startDashboard()
try {
  mkdirSync(OUT, { recursive: true })
  await dash.ctx.runtime.modules.catalog.service.seedDemoIfEmpty()
  const admin = await dash.account('admin')
  const token = await dash.ctx.tokenFor('admin')
  const products = await dash.ctx.as(token).get('/v1/admin/products?limit=6&status=published')
  type Listed = { variants: { id: string; available: number }[] }
  // Each product's best-stocked variant, so every checkout below finds stock.
  const variants = (products.json().data as Listed[]).map(
    (p) => p.variants.reduce((a, b) => (b.available > a.available ? b : a)).id,
  )
  const orderIds: string[] = []
  for (const [i, variantId] of variants.entries()) {
    const shopper = await cartWith(dash.ctx, [{ variantId, quantity: 1 + (i % 3) }])
    const res = await checkout(dash.ctx, shopper, 'tok_visa', { email: `buyer${i}@example.com` })
    if (res.statusCode !== 201) throw new Error(`checkout failed: ${res.body}`)
    orderIds.push(res.json().order.id)
  }
  await dash.ctx.as(token).post(`/v1/admin/orders/${orderIds[1]}/fulfillments`, {
    carrier: 'DHL',
    trackingNumber: 'JD014600006281',
  })

  // A product image, two customers and a review waiting for moderation.
  const first = (products.json().data as { id: string }[])[0]!.id
  const picture = await sharp({
    create: { width: 800, height: 600, channels: 3, background: '#c9a27e' },
  })
    .png()
    .toBuffer()
  const form = new FormData()
  form.append('alt', 'Front view')
  form.append('file', new Blob([picture], { type: 'image/png' }), 'front.png')
  const upload = await fetch(`${dash.base}/v1/admin/products/${first}/images`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  })
  if (upload.status !== 201) throw new Error(`upload failed: ${await upload.text()}`)
  for (const [email, name] of [
    ['ada@example.com', 'Ada Lovelace'],
    ['grace@example.com', 'Grace Hopper'],
  ]) {
    await dash.ctx.as().post('/v1/auth/register', {
      email,
      name,
      password: 'a long screenshot passphrase',
    })
  }
  const reviewer = await dash.ctx.tokenFor('customer')
  await dash.ctx.as(reviewer).post(`/v1/products/${first}/reviews`, {
    rating: 4,
    title: 'Lovely, runs small',
    body: 'Good fabric and stitching.\nOrder a size up.',
  })

  const page = await dash.page()
  await page.goto('/admin')
  await shot(page, 'admin-sign-in', 'Sign in')
  await signedIn(page, admin)
  await shot(page, 'admin-home', 'Low stock')
  await page.goto('/admin/products')
  await shot(page, 'admin-products', 'Variants')
  await page.goto(`/admin/products/${first}`)
  await page.getByRole('img', { name: 'Front view' }).waitFor()
  await shot(page, 'admin-product', 'Save variant', true)
  await page.goto('/admin/reviews')
  await shot(page, 'admin-reviews', 'Lovely, runs small')
  await page.goto('/admin/customers')
  await shot(page, 'admin-customers', 'grace@example.com')
  await page.goto('/admin/orders')
  await shot(page, 'admin-orders', 'buyer0@example.com')
  await page.goto(`/admin/orders/${orderIds[1]}`)
  await shot(page, 'admin-order', 'Live: changes appear')
  const phone = await dash.page({ width: 390, height: 844 })
  await signedIn(phone, admin)
  await phone.goto(`/admin/orders/${orderIds[0]}`)
  await shot(phone, 'admin-order-phone', 'Live: changes appear')
} finally {
  await dash.close()
}
