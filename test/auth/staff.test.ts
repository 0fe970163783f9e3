import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { permissionsFor } from '../../src/modules/auth/core/permissions.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { login, newCredentials } from './support.js'

let ctx: TestContext
let admin: string

before(async () => {
  ctx = await createTestContext()
  admin = await ctx.tokenFor('admin')
})
after(async () => {
  await ctx.close()
})

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function invite(role: 'staff' | 'admin' = 'staff') {
  const { email, name } = newCredentials('staff')
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/admin/staff',
    headers: bearer(admin),
    payload: { email, name, role },
  })
  assert.equal(res.statusCode, 201, res.body)
  return { email, ...(res.json() as { user: { id: string; role: string }; inviteToken: string }) }
}

/** The invitee sets a password with the invite token, then signs in. */
async function accept(email: string, inviteToken: string): Promise<string> {
  const password = `staff password ${Math.random()}`
  const reset = await ctx.app.inject({
    method: 'POST',
    url: '/v1/auth/password/reset',
    payload: { token: inviteToken, newPassword: password },
  })
  assert.ok(reset.statusCode < 300, reset.body)
  const res = await login(ctx, { email, password })
  assert.equal(res.statusCode, 200, res.body)
  return res.json().accessToken as string
}

const adminProducts = (token: string) =>
  ctx.app.inject({ method: 'GET', url: '/v1/admin/products', headers: bearer(token) })

describe('staff administration', () => {
  test('an invited member sets a password with the invite token and works with their role', async () => {
    const invited = await invite()
    assert.equal(invited.user.role, 'staff')
    assert.match(
      invited.inviteToken,
      /^[A-Za-z0-9_-]{43}$/,
      'outside production the token is returned',
    )
    const token = await accept(invited.email, invited.inviteToken)
    assert.equal((await adminProducts(token)).statusCode, 200)

    const list = await ctx.app.inject({
      method: 'GET',
      url: '/v1/admin/staff?limit=100',
      headers: bearer(admin),
    })
    assert.equal(list.statusCode, 200)
    assert.ok(list.json().data.some((u: { id: string }) => u.id === invited.user.id))
    assert.ok(list.json().data.every((u: { role: string }) => u.role !== 'customer'))
  })

  test('inviting an existing email is a 409', async () => {
    const invited = await invite()
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/staff',
      headers: bearer(admin),
      payload: { email: invited.email, name: 'Again', role: 'staff' },
    })
    assert.equal(res.statusCode, 409)
  })

  test('a role change applies to live tokens at once and is audited', async () => {
    const invited = await invite()
    const token = await accept(invited.email, invited.inviteToken)
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/admin/staff/${invited.user.id}`,
      headers: bearer(admin),
      payload: { role: 'customer' },
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().role, 'customer')
    assert.equal((await adminProducts(token)).statusCode, 403)

    const log = await ctx.app.inject({
      method: 'GET',
      url: `/v1/admin/audit-log?action=staff.role_changed`,
      headers: bearer(admin),
    })
    const entry = log
      .json()
      .data.find((e: { subjectId: string }) => e.subjectId === invited.user.id)
    assert.deepEqual(entry.detail, { from: 'staff', to: 'customer' })
  })

  test('a deactivated member is signed out at once and cannot sign in again', async () => {
    const invited = await invite()
    const password = `staff password ${Math.random()}`
    await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/password/reset',
      payload: { token: invited.inviteToken, newPassword: password },
    })
    const token = (await login(ctx, { email: invited.email, password })).json().accessToken
    assert.equal((await adminProducts(token)).statusCode, 200)

    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/admin/staff/${invited.user.id}`,
      headers: bearer(admin),
      payload: { status: 'disabled' },
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().status, 'disabled')
    assert.equal((await adminProducts(token)).statusCode, 401, 'the live token stops working')
    assert.notEqual((await login(ctx, { email: invited.email, password })).statusCode, 200)
  })

  test('an admin cannot change their own access; an unknown id is a 404', async () => {
    const me = (
      await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(admin) })
    ).json()
    const self = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/admin/staff/${me.id}`,
      headers: bearer(admin),
      payload: { status: 'disabled' },
    })
    assert.equal(self.statusCode, 409)
    assert.equal(self.json().code, 'cannot_change_self')
    const unknown = await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/admin/staff/usr_unknown',
      headers: bearer(admin),
      payload: { role: 'staff' },
    })
    assert.equal(unknown.statusCode, 404)
  })

  test('staff without staff:manage cannot invite', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/staff',
      headers: bearer(await ctx.tokenFor('staff')),
      payload: { ...newCredentials(), role: 'admin', password: undefined },
    })
    assert.equal(res.statusCode, 403)
  })

  describe('with an API key scoped to staff:manage', () => {
    async function keyWith(scopes: string[]): Promise<string> {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/v1/admin/api-keys',
        headers: bearer(admin),
        payload: { name: 'HR sync', scopes },
      })
      assert.equal(res.statusCode, 201, res.body)
      return res.json().key as string
    }
    const patch = (key: string, id: string, payload: Record<string, unknown>) =>
      ctx.app.inject({
        method: 'PATCH',
        url: `/v1/admin/staff/${id}`,
        headers: bearer(key),
        payload,
      })
    const roleOf = async (id: string) =>
      (
        await ctx.database.db
          .selectFrom('auth.user' as never)
          .select('role' as never)
          .where('id' as never, '=', id as never)
          .executeTakeFirstOrThrow()
      ).role as string
    /** staff:manage and every permission of the staff role, whatever the role holds today. */
    const staffScopes = ['staff:manage', ...permissionsFor('staff')]

    test('the key cannot make anyone admin, nor touch an admin', async () => {
      const key = await keyWith(['staff:manage'])
      const member = await invite()
      const promoted = await patch(key, member.user.id, { role: 'admin' })
      assert.equal(promoted.statusCode, 403, promoted.body)
      assert.equal(promoted.json().code, 'interactive_admin_required')
      assert.equal(await roleOf(member.user.id), 'staff')

      const other = await invite('admin')
      const demoted = await patch(key, other.user.id, { status: 'disabled' })
      assert.equal(demoted.statusCode, 403, demoted.body)
      const invited = await ctx.app.inject({
        method: 'POST',
        url: '/v1/admin/staff',
        headers: bearer(key),
        payload: { ...newCredentials('staff'), password: undefined, role: 'admin' },
      })
      assert.equal(invited.statusCode, 403, invited.body)
      assert.equal(invited.json().code, 'interactive_admin_required')
    })

    test('the key cannot promote a customer', async () => {
      const key = await keyWith(staffScopes)
      const customer = await ctx.runtime.modules.auth.service.createUser({
        ...newCredentials('customer'),
        role: 'customer',
      })
      const res = await patch(key, customer.id, { role: 'staff' })
      assert.equal(res.statusCode, 403, res.body)
      assert.equal(res.json().code, 'interactive_admin_required')
      assert.equal(await roleOf(customer.id), 'customer')
    })

    test('the key grants the staff role only when it holds every staff permission', async () => {
      const narrow = await keyWith(['staff:manage'])
      const refused = await ctx.app.inject({
        method: 'POST',
        url: '/v1/admin/staff',
        headers: bearer(narrow),
        payload: { email: newCredentials('staff').email, name: 'Staff', role: 'staff' },
      })
      assert.equal(refused.statusCode, 403, refused.body)
      assert.equal(refused.json().code, 'role_exceeds_key_scopes')

      const wide = await keyWith(staffScopes)
      const member = await invite()
      const disabled = await patch(wide, member.user.id, { status: 'disabled' })
      assert.equal(disabled.statusCode, 200, disabled.body)
      const invited = await ctx.app.inject({
        method: 'POST',
        url: '/v1/admin/staff',
        headers: bearer(wide),
        payload: { email: newCredentials('staff').email, name: 'Staff', role: 'staff' },
      })
      assert.equal(invited.statusCode, 201, invited.body)
    })

    test('an admin session still promotes a staff member to admin', async () => {
      const member = await invite()
      const res = await ctx.app.inject({
        method: 'PATCH',
        url: `/v1/admin/staff/${member.user.id}`,
        headers: bearer(admin),
        payload: { role: 'admin' },
      })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().role, 'admin')
    })
  })
})

describe('the invite token in the reply', () => {
  test('is left out when mail goes out by SMTP, even outside production', async () => {
    const smtp = await createTestContext({ SMTP_URL: 'smtp://127.0.0.1:2525' })
    try {
      const res = await smtp.app.inject({
        method: 'POST',
        url: '/v1/admin/staff',
        headers: bearer(await smtp.tokenFor('admin')),
        payload: { email: newCredentials('staff').email, name: 'Invitee', role: 'staff' },
      })
      assert.equal(res.statusCode, 201, res.body)
      assert.equal(res.json().inviteToken, undefined)
    } finally {
      await smtp.close()
    }
  })
})
