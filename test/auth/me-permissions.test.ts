import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { PERMISSIONS, permissionsFor } from '../../src/modules/auth/core/permissions.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { getMe, login, newCredentials, register } from './support.js'

let ctx: TestContext
let admin: string

before(async () => {
  ctx = await createTestContext()
  admin = await ctx.tokenFor('admin')
})
after(async () => {
  await ctx.close()
})

async function permissionsOf(token: string): Promise<string[]> {
  const res = await getMe(ctx, token)
  assert.equal(res.statusCode, 200, res.body)
  return (res.json() as { permissions: string[] }).permissions
}

describe('GET /v1/me permissions', () => {
  test("each role reports its permissions from the authenticator's table", async () => {
    assert.deepEqual(await permissionsOf(admin), [...PERMISSIONS])
    const staff = await permissionsOf(await ctx.tokenFor('staff'))
    assert.deepEqual(staff, [...permissionsFor('staff')])
    assert.ok(staff.includes('reviews:moderate') && staff.includes('customers:read'))
    assert.ok(!staff.includes('orders:refund') && !staff.includes('staff:manage'))
    assert.deepEqual(await permissionsOf(await ctx.tokenFor('customer')), [])
  })

  test('a role change shows in the permissions of a live token at once', async () => {
    const credentials = newCredentials('promoted')
    const created = await register(ctx, { ...credentials })
    assert.equal(created.statusCode, 201, created.body)
    const userId = (created.json() as { user: { id: string } }).user.id
    const signedIn = await login(ctx, { email: credentials.email, password: credentials.password })
    const token = (signedIn.json() as { accessToken: string }).accessToken
    assert.deepEqual(await permissionsOf(token), [])

    const promoted = await ctx.as(admin).patch(`/v1/admin/staff/${userId}`, { role: 'staff' })
    assert.equal(promoted.statusCode, 200, promoted.body)
    assert.deepEqual(await permissionsOf(token), [...permissionsFor('staff')])
    const me = (await getMe(ctx, token)).json() as { role: string; email: string }
    assert.equal(me.role, 'staff')
    assert.equal(me.email, credentials.email)
  })
})
