import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { Secret, TOTP } from 'otpauth'
import { chromium, type Browser, type Page } from 'playwright-core'
import { ADMIN_DIST_DIR } from '../../src/platform/http/admin-dashboard.js'
import { createTestContext, uniqueSuffix, type TestContext } from '../helpers/context.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Debian's chromium, headless, with nothing that reaches out to the network on its own. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** The dashboard's build: `npm install` makes it, and `npm test` when it is missing. */
export function ensureDashboardBuilt(): void {
  if (existsSync(`${ADMIN_DIST_DIR}/index.html`)) return
  throw new Error(`${ADMIN_DIST_DIR} has no build: run npm run admin:build`)
}

export interface Dashboard {
  ctx: TestContext
  base: string
  browser: Browser
  /** A fresh browser context (no cookies) at `viewport`, on a new page. */
  page(viewport?: { width: number; height: number }): Promise<Page>
  /** A new account with `role` and a password: its credentials. */
  account(role: 'admin' | 'staff'): Promise<{ email: string; password: string; id: string }>
  close(): Promise<void>
}

/**
 * The whole app listening on a real port, and Chromium. PUBLIC_URL names the same origin, so
 * the refresh cookie's Origin check passes as it does in production.
 */
export async function startDashboard(env: Record<string, string> = {}): Promise<Dashboard> {
  ensureDashboardBuilt()
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const ctx = await createTestContext({
    PUBLIC_URL: base,
    ORDER_STREAM_RECHECK_MS: '500',
    ...env,
  })
  await ctx.app.listen({ port, host: '127.0.0.1' })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  })
  return {
    ctx,
    base,
    browser,
    async page(viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ viewport, baseURL: base })
      context.setDefaultTimeout(15_000)
      return context.newPage()
    },
    async account(role) {
      const email = `${role}-${uniqueSuffix()}@example.test`
      const password = `correct horse ${uniqueSuffix()}`
      const user = await ctx.runtime.modules.auth.service.createUser({
        email,
        password,
        name: `Dashboard ${role}`,
        role,
      })
      return { email, password, id: user.id }
    },
    async close() {
      await browser.close()
      await ctx.close()
    },
  }
}

/** Fills the sign-in form as a person would, by its labels. */
export async function signIn(page: Page, account: { email: string; password: string }) {
  await page.goto('/admin')
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** Signs in (an account without TOTP) and waits until the dashboard shows. */
export async function signedIn(page: Page, account: { email: string; password: string }) {
  await signIn(page, account)
  await page.getByRole('button', { name: 'Sign out' }).waitFor()
}

/** The TOTP code of `secret` for the step `offset` steps from now. */
export function totpCode(secret: string, offset = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 })
  return totp.generate({ timestamp: Date.now() + offset * 30_000 })
}

/**
 * Polls `check` from the test process until it holds: nothing is evaluated as a string in the
 * page, which the dashboard's CSP (no 'unsafe-eval') would refuse.
 */
export async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting for the page')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
