import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { newCustomer, signIn } from '../auth/sessions-support.js'

let ctx: TestContext
let admin: string

before(async () => {
  ctx = await createTestContext()
  admin = await ctx.tokenFor('admin')
})
after(() => ctx.close())

async function entries(action: string, subjectId: string) {
  const res = await ctx.app.inject({
    method: 'GET',
    url: `/v1/admin/audit-log?action=${action}&actor=${subjectId}`,
    headers: { authorization: `Bearer ${admin}` },
  })
  assert.equal(res.statusCode, 200, res.body)
  return (res.json() as { data: { action: string; subjectId: string; userAgent: string }[] }).data
}

test('refresh-token reuse and password changes reach the audit log once, from their events', async () => {
  const user = await newCustomer(ctx)
  const session = await signIn(ctx, user, 'audit-agent')
  const refresh = (token: string) =>
    ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: token } })
  assert.equal((await refresh(session.refreshToken)).statusCode, 200)
  assert.equal((await refresh(session.refreshToken)).statusCode, 401) // reuse: the family dies

  const other = await signIn(ctx, user)
  const changed = await ctx.app.inject({
    method: 'POST',
    url: '/v1/me/password',
    headers: { authorization: `Bearer ${other.accessToken}` },
    payload: { currentPassword: user.password, newPassword: 'a brand new passphrase 42' },
  })
  assert.equal(changed.statusCode, 204, changed.body)

  await ctx.runtime.relay.drain()
  const reuse = await entries('auth.refresh_reuse_detected', user.id)
  assert.equal(reuse.length, 1)
  assert.equal(reuse[0]!.subjectId, user.id)
  assert.equal((await entries('auth.password_changed', user.id)).length, 1)

  // A redelivered event records nothing new.
  await sql`update platform.outbox set published_at = null, lease_until = null
    where type = 'auth.refresh_reuse_detected' and aggregate_id = ${user.id}`.execute(
    ctx.database.db,
  )
  await ctx.runtime.relay.drain()
  assert.equal((await entries('auth.refresh_reuse_detected', user.id)).length, 1)
})
