import { after, before, test } from 'node:test'
import { signedIn, startDashboard, totpCode, type Dashboard } from './support.js'

let dash: Dashboard

before(async () => {
  // As in production: staff without TOTP get 403 mfa_required on every admin route.
  dash = await startDashboard({ REQUIRE_STAFF_MFA: 'true' })
})
after(async () => {
  await dash?.close()
})

test('staff without TOTP are led from the refused page to setting it up, then get in', async () => {
  const staff = await dash.account('staff')
  const page = await dash.page()
  await signedIn(page, staff)
  await page.getByRole('link', { name: 'Products', exact: true }).click()
  await page.getByRole('alert').getByRole('link', { name: 'Set up two-factor sign-in' }).click()
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click()
  const secret = (await page.locator('code.secret').textContent())!.trim()
  await page.getByLabel('Code from the app').fill(totpCode(secret))
  await page.getByRole('button', { name: 'Turn on' }).click()
  await page.getByText('Two-factor sign-in is on.').waitFor()
  await page.getByRole('link', { name: 'Products', exact: true }).click()
  await page.getByRole('heading', { name: 'Products' }).waitFor()
  await page.getByText('No products match.').waitFor()
})
