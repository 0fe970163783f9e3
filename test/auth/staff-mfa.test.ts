import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Secret, TOTP } from 'otpauth'
import { loadConfig } from '../../src/config.js'
import { createTestContext, type TestContext } from '../helpers/context.js'

let ctx: TestContext

before(async () => {
  ctx = await createTestContext({ REQUIRE_STAFF_MFA: 'true' })
})
after(async () => {
  await ctx.close()
})

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function enrolTotp(token: string): Promise<void> {
  const started = await ctx.app.inject({
    method: 'POST',
    url: '/v1/auth/mfa/totp',
    headers: bearer(token),
    payload: {},
  })
  assert.equal(started.statusCode, 200, started.body)
  const totp = new TOTP({ secret: Secret.fromBase32(started.json().secret), digits: 6, period: 30 })
  const confirmed = await ctx.app.inject({
    method: 'POST',
    url: '/v1/auth/mfa/totp/confirm',
    headers: bearer(token),
    payload: { code: totp.generate() },
  })
  assert.equal(confirmed.statusCode, 200, confirmed.body)
}

describe('REQUIRE_STAFF_MFA', () => {
  test('defaults to on in production only', () => {
    assert.equal(loadConfig({}).requireStaffMfa, false)
    assert.equal(loadConfig({ REQUIRE_STAFF_MFA: 'true' }).requireStaffMfa, true)
  })

  for (const role of ['staff', 'admin'] as const) {
    test(`a ${role} without TOTP is refused admin routes until enrolled`, async () => {
      const token = await ctx.tokenFor(role)
      const adminRoute = () => ctx.app.inject({ url: '/v1/admin/products', headers: bearer(token) })
      const refused = await adminRoute()
      assert.equal(refused.statusCode, 403, refused.body)
      assert.equal(refused.json().code, 'mfa_required')
      const me = await ctx.app.inject({ url: '/v1/me', headers: bearer(token) })
      assert.equal(me.statusCode, 200, 'still signed in, to enrol')
      await enrolTotp(token)
      assert.equal((await adminRoute()).statusCode, 200)
    })
  }

  test('customers are not asked for a second factor', async () => {
    const token = await ctx.tokenFor('customer')
    const res = await ctx.app.inject({ url: '/v1/me', headers: bearer(token) })
    assert.equal(res.statusCode, 200)
    const admin = await ctx.app.inject({ url: '/v1/admin/products', headers: bearer(token) })
    assert.equal(admin.json().code, 'forbidden')
  })
})
