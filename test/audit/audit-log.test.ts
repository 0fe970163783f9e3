import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { bearer } from '../helpers/http.js'
import { login, newCredentials, register } from '../auth/support.js'

let ctx: TestContext
let admin: string

before(async () => {
  ctx = await createTestContext({ LOGIN_LOCKOUT_THRESHOLD: '3', LOGIN_LOCKOUT_BASE: '1' })
  admin = await ctx.tokenFor('admin')
})
after(async () => {
  await ctx.close()
})

function auditLog(query: string, token = admin) {
  return ctx.app.inject({
    method: 'GET',
    url: `/v1/admin/audit-log?${query}`,
    headers: bearer(token),
  })
}

async function registered() {
  const credentials = newCredentials()
  const res = await register(ctx, { ...credentials })
  assert.equal(res.statusCode, 201)
  return { ...credentials, id: res.json().user.id as string }
}

describe(`audit log on ${engine}`, () => {
  test('sign-ins and failures are recorded with IP and user agent, never the password', async () => {
    const user = await registered()
    const headers = { 'user-agent': 'audit-test/1.0' }
    await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers,
      payload: { email: user.email, password: 'wrong password!' },
    })
    const ok = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers,
      payload: { email: user.email, password: user.password },
    })
    assert.equal(ok.statusCode, 200)

    const res = await auditLog(`actor=${user.id}`)
    assert.equal(res.statusCode, 200, res.body)
    const [success] = res.json().data
    assert.equal(success.action, 'auth.login_succeeded')
    assert.equal(success.ip, '127.0.0.1')
    assert.equal(success.userAgent, 'audit-test/1.0')
    assert.ok(Date.parse(success.occurredAt) <= Date.now())

    const failures = await auditLog('action=auth.login_failed&limit=100')
    const failure = failures
      .json()
      .data.find((e: { detail: { email: string } }) => e.detail.email === user.email)
    assert.ok(failure, 'the failure names the attempted address')
    assert.equal(failure.actor.type, 'anonymous')
    assert.ok(!failures.body.includes('wrong password!'))
    assert.ok(!res.body.includes(user.password))
  })

  test('filters by action and time, and pages with a cursor', async () => {
    const since = new Date().toISOString()
    for (let i = 0; i < 3; i++) {
      const user = await registered()
      assert.equal(
        (await login(ctx, { email: user.email, password: user.password })).statusCode,
        200,
      )
    }
    const first = await auditLog(`action=auth.login_succeeded&from=${since}&limit=2`)
    assert.equal(first.statusCode, 200, first.body)
    assert.equal(first.json().data.length, 2)
    assert.equal(first.json().page.hasMore, true)
    const second = await auditLog(
      `action=auth.login_succeeded&from=${since}&limit=2&cursor=${first.json().page.nextCursor}`,
    )
    const ids = [...first.json().data, ...second.json().data].map((e: { id: string }) => e.id)
    assert.equal(new Set(ids).size, ids.length, 'pages do not overlap')
    assert.ok(ids.length >= 3)
    const future = await auditLog(`from=${new Date(Date.now() + 60_000).toISOString()}`)
    assert.deepEqual(future.json().data, [])
    assert.equal((await auditLog('action=nonsense')).statusCode, 400)
    assert.equal((await auditLog('cursor=bogus')).statusCode, 400)
  })

  test('reading the log needs audit:read', async () => {
    assert.equal((await auditLog('', await ctx.tokenFor('staff'))).statusCode, 403)
    assert.equal(
      (await ctx.app.inject({ method: 'GET', url: '/v1/admin/audit-log' })).statusCode,
      401,
    )
  })

  test('entries cannot be updated or deleted, even with direct SQL', async () => {
    const db = ctx.database.db
    const [entry] = (await auditLog('limit=1')).json().data
    await assert.rejects(
      db
        .updateTable('audit.entry' as never)
        .set({ action: 'forged' } as never)
        .execute(),
      /append-only/,
    )
    await assert.rejects(db.deleteFrom('audit.entry' as never).execute(), /append-only/)
    const again = (await auditLog('limit=1')).json().data[0]
    assert.deepEqual(again, entry)
  })
})

describe('failed sign-in lockout', () => {
  test('after repeated failures the account answers 429 with Retry-After, then a success resets', async () => {
    const user = await registered()
    const wrong = () => login(ctx, { email: user.email, password: 'not the password' })
    for (let i = 0; i < 3; i++) assert.equal((await wrong()).statusCode, 401)

    const locked = await login(ctx, { email: user.email, password: user.password })
    assert.equal(locked.statusCode, 429, 'even the right password waits for the lock')
    assert.equal(locked.json().code, 'rate_limited')
    assert.equal(locked.headers['retry-after'], '1')

    const unknown = newCredentials().email
    for (let i = 0; i < 3; i++) await login(ctx, { email: unknown, password: 'not the password' })
    const unknownLocked = await login(ctx, { email: unknown, password: 'x' })
    assert.equal(unknownLocked.statusCode, 429, 'an unknown address locks the same way')
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: 0, requestId: 0 })
    assert.deepEqual(strip(unknownLocked.json()), strip(locked.json()), 'indistinguishable')

    await new Promise((r) => setTimeout(r, 1100))
    assert.equal((await login(ctx, { email: user.email, password: user.password })).statusCode, 200)
    // The success cleared the record: three more failures are needed for the next lock.
    for (let i = 0; i < 2; i++) assert.equal((await wrong()).statusCode, 401)
    assert.equal((await login(ctx, { email: user.email, password: user.password })).statusCode, 200)

    const log = await auditLog('action=auth.account_locked&limit=100')
    assert.ok(
      log.json().data.some((e: { detail: { email: string } }) => e.detail.email === user.email),
    )
  })
})
