import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import sharp from 'sharp'
import { createProduct } from '../helpers/catalog.js'
import { uniqueSuffix } from '../helpers/context.js'
import { writeReview } from '../reviews/support.js'
import { signedIn, startDashboard, type Dashboard, until } from './support.js'

let dash: Dashboard
let adminToken: string

before(async () => {
  dash = await startDashboard()
  adminToken = await dash.ctx.tokenFor('admin')
})
after(async () => {
  await dash?.close()
})

async function adminGet(url: string) {
  const res = await dash.ctx.as(adminToken).get(url)
  assert.equal(res.statusCode, 200, res.body)
  return res.json()
}

/** A solid-colour PNG made with sharp. */
function png(width: number, height: number, background: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer()
}

describe('product images', () => {
  test('an admin uploads a PNG, sees its thumbnail, names it, reorders and deletes', async () => {
    const product = await createProduct(dash.ctx, adminToken)
    const admin = await dash.account('admin')
    const page = await dash.page()
    await signedIn(page, admin)
    await page.goto(`/admin/products/${product.id}`)
    await page.getByRole('heading', { name: 'Images' }).waitFor()
    await page.getByText('No images yet.').waitFor()

    const upload = async (name: string, alt: string, colour: string) => {
      await page.getByLabel('Image file').setInputFiles({
        name,
        mimeType: 'image/png',
        buffer: await png(640, 400, colour),
      })
      await page.getByLabel('Alt text', { exact: true }).fill(alt)
      await page.getByRole('button', { name: 'Upload' }).click()
      await page.getByRole('img', { name: alt }).waitFor()
    }
    await upload('red.png', 'Red front', '#cc2222')
    // The thumbnail is the API's small WebP, and the browser decoded it (CSP allows it).
    const thumb = page.getByRole('img', { name: 'Red front' })
    const stored = (await adminGet(`/v1/admin/products/${product.id}`)).images
    assert.equal(stored.length, 1)
    assert.equal(stored[0].alt, 'Red front')
    assert.equal(await thumb.getAttribute('src'), stored[0].thumbnails.small)
    await until(() =>
      thumb.evaluate((img) => {
        const image = img as unknown as { complete: boolean; naturalWidth: number }
        return image.complete && image.naturalWidth === 200
      }),
    )

    await upload('blue.png', 'Blue back', '#2222cc')
    await page.getByLabel('Alt text of image 2').fill('Blue back view')
    await page.getByRole('button', { name: 'Save alt text of Blue back' }).click()
    await page.getByRole('img', { name: 'Blue back view' }).waitFor()
    await page.getByRole('button', { name: 'Move Blue back view up' }).click()
    await page.getByRole('button', { name: 'Move Red front up' }).waitFor()
    let images = (await adminGet(`/v1/admin/products/${product.id}`)).images
    assert.deepEqual(
      images.map((i: { alt: string }) => i.alt),
      ['Blue back view', 'Red front'],
    )

    await page.getByRole('button', { name: 'Delete Red front' }).click()
    await page.getByRole('img', { name: 'Red front' }).waitFor({ state: 'detached' })
    images = (await adminGet(`/v1/admin/products/${product.id}`)).images
    assert.deepEqual(
      images.map((i: { alt: string }) => i.alt),
      ['Blue back view'],
    )
  })

  test('an image change made elsewhere is a conflict the page offers to reload', async () => {
    const product = await createProduct(dash.ctx, adminToken)
    const admin = await dash.account('admin')
    const page = await dash.page()
    await signedIn(page, admin)
    await page.goto(`/admin/products/${product.id}`)
    await page.getByText('No images yet.').waitFor()
    const other = await dash.ctx.as(adminToken).patch(`/v1/admin/products/${product.id}`, {
      description: 'Changed elsewhere',
    })
    assert.equal(other.statusCode, 200, other.body)
    await page.getByLabel('Image file').setInputFiles({
      name: 'late.png',
      mimeType: 'image/png',
      buffer: await png(300, 300, '#22aa22'),
    })
    await page.getByRole('button', { name: 'Upload' }).click()
    await page.getByText('Someone else changed this product').waitFor()
    assert.equal((await adminGet(`/v1/admin/products/${product.id}`)).images.length, 0)
    await page.getByRole('button', { name: 'Reload' }).click()
    await until(async () => (await page.locator('textarea').inputValue()) === 'Changed elsewhere')
  })
})

describe('reviews', () => {
  test('a staff member sees a pending review on Home and publishes it; another is rejected', async () => {
    const product = await createProduct(dash.ctx, adminToken)
    const good = `Sturdy ${uniqueSuffix()}`
    const bad = `Spam ${uniqueSuffix()}`
    const first = await writeReview(dash.ctx, await dash.ctx.tokenFor('customer'), product.id, {
      rating: 4,
      title: good,
      body: 'Held up well.\n<b>Would buy again.</b>',
    })
    const second = await writeReview(dash.ctx, await dash.ctx.tokenFor('customer'), product.id, {
      rating: 1,
      title: bad,
      body: 'Buy followers at example.test',
    })
    const staff = await dash.account('staff')
    const page = await dash.page()
    await signedIn(page, staff)
    const home = page.getByRole('region', { name: 'Reviews to moderate' })
    await home.getByText(good).waitFor()
    await home.getByRole('link', { name: 'Moderate reviews' }).click()
    await page.getByRole('heading', { name: 'Reviews' }).waitFor()

    const item = page.getByRole('listitem', { name: good })
    // The body is shown as text, markup and all.
    await item.getByText('<b>Would buy again.</b>').waitFor()
    await item.getByRole('button', { name: 'Publish' }).click()
    await item.waitFor({ state: 'detached' })
    await page.getByRole('listitem', { name: bad }).getByRole('button', { name: 'Reject' }).click()
    await page.getByText('No reviews are pending.').waitFor()

    const byStatus = async (status: string) =>
      (await adminGet(`/v1/admin/reviews?status=${status}&productId=${product.id}`)).data.map(
        (r: { id: string }) => r.id,
      )
    assert.deepEqual(await byStatus('published'), [first.id])
    assert.deepEqual(await byStatus('rejected'), [second.id])
    assert.deepEqual(await byStatus('pending'), [])

    await page.getByLabel('Status').selectOption('published')
    await page
      .getByRole('listitem', { name: good })
      .getByRole('button', { name: 'Reject' })
      .waitFor()
  })
})

describe('customers', () => {
  test('the Customers page lists customer accounts and finds one by name', async () => {
    const tag = uniqueSuffix()
    const email = `shopper-${tag}@example.test`
    const res = await dash.ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email, password: `correct horse ${tag}`, name: `Hedy Lamarr ${tag}` },
    })
    assert.equal(res.statusCode, 201, res.body)
    const staff = await dash.account('staff')
    const page = await dash.page()
    await signedIn(page, staff)
    await page.getByRole('link', { name: 'Customers' }).click()
    const table = page.getByRole('region', { name: 'Customers' })
    await table.getByRole('cell', { name: email }).waitFor()
    await page.getByLabel('Search customers').fill(`hedy lamarr ${tag}`)
    // The search applies after a pause: wait for the other rows to go, then count.
    await table.getByRole('row').nth(2).waitFor({ state: 'detached' })
    await table.getByRole('row').nth(1).getByRole('cell', { name: email }).waitFor()
    assert.equal(await table.getByRole('row').count(), 2)
    await page.getByLabel('Search customers').fill(`nobody-${tag}`)
    await page.getByText('No customer matches.').waitFor()
  })
})

describe('permissions', () => {
  test('the navigation follows the permissions GET /v1/me reports, read again on reload', async () => {
    const member = await dash.account('staff')
    const page = await dash.page()
    const me = page.waitForResponse((r) => r.url().endsWith('/v1/me') && r.status() === 200)
    await signedIn(page, member)
    const reported = (await (await me).json()) as { permissions: string[] }
    assert.ok(reported.permissions.includes('reviews:moderate'))
    assert.ok(!reported.permissions.includes('webhooks:manage'))
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('link', { name: 'Reviews' }).waitFor()
    assert.equal(await nav.getByRole('link', { name: 'Webhooks' }).count(), 0)

    const promoted = await dash.ctx.as(adminToken).patch(`/v1/admin/staff/${member.id}`, {
      role: 'admin',
    })
    assert.equal(promoted.statusCode, 200, promoted.body)
    await page.reload()
    await nav.getByRole('link', { name: 'Webhooks' }).waitFor()
    await nav.getByRole('link', { name: 'Jobs' }).waitFor()
  })
})

describe('home', () => {
  test('Home lists the variants at or below their threshold from the low-stock route', async () => {
    const title = `Last Teapot ${uniqueSuffix()}`
    const product = await createProduct(dash.ctx, adminToken, {
      title,
      variants: [
        { sku: `TEAPOT-${uniqueSuffix()}`.toUpperCase(), onHand: 0, options: { size: 's' } },
        { sku: `TEAPOT-${uniqueSuffix()}`.toUpperCase(), onHand: 40, options: { size: 'l' } },
      ],
    })
    const [empty, full] = product.variants
    const staff = await dash.account('staff')
    const page = await dash.page()
    await signedIn(page, staff)
    const card = page.getByRole('region', { name: 'Low stock' })
    const line = card.getByRole('listitem').filter({ hasText: empty!.sku })
    await line.getByRole('link', { name: title }).waitFor()
    assert.match((await line.textContent()) ?? '', /0 left/)
    assert.equal(await card.getByText(full!.sku).count(), 0)
    await line.getByRole('link', { name: title }).click()
    await page.getByRole('heading', { name: title }).waitFor()
  })
})
