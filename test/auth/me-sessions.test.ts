import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { decodeJwt } from 'jose'
import { sql } from 'kysely'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { getMe, login } from './support.js'
import { call, newCustomer, refresh, signIn } from './sessions-support.js'

let ctx: TestContext

before(async () => {
  ctx = await createTestContext()
})
after(async () => {
  await ctx.close()
})

const sidOf = (accessToken: string) => decodeJwt(accessToken).sid as string

describe('GET /v1/me/sessions', () => {
  test('lists the live sessions with device, IP and times, and marks the current one', async () => {
    const user = await newCustomer(ctx)
    const phone = await signIn(ctx, user, 'Phone/1.0')
    const laptop = await signIn(ctx, user, 'Laptop/2.0')
    const ended = await signIn(ctx, user, 'Old/0.1')
    await call(ctx, 'POST', '/v1/auth/logout', ended.accessToken, {})
    await signIn(ctx, await newCustomer(ctx)) // someone else's session never shows

    const res = await call(ctx, 'GET', '/v1/me/sessions', laptop.accessToken)
    assert.equal(res.statusCode, 200, res.body)
    const { data, page } = res.json()
    assert.deepEqual(page, { nextCursor: null, hasMore: false })
    assert.deepEqual(
      data.map((s: { id: string }) => s.id),
      [sidOf(laptop.accessToken), sidOf(phone.accessToken)],
    )
    const [current, other] = data
    assert.equal(current.current, true)
    assert.equal(other.current, false)
    assert.equal(current.userAgent, 'Laptop/2.0')
    assert.equal(other.userAgent, 'Phone/1.0')
    assert.equal(current.ip, '127.0.0.1')
    for (const s of data) {
      assert.deepEqual(Object.keys(s).sort(), [
        'createdAt',
        'current',
        'expiresAt',
        'id',
        'ip',
        'lastUsedAt',
        'userAgent',
      ])
      assert.ok(Date.parse(s.lastUsedAt) >= Date.parse(s.createdAt))
    }
  })

  test('pages with limit and cursor', async () => {
    const user = await newCustomer(ctx)
    const sessions = [await signIn(ctx, user), await signIn(ctx, user), await signIn(ctx, user)]
    const token = sessions[0]!.accessToken
    const first = (await call(ctx, 'GET', '/v1/me/sessions?limit=2', token)).json()
    assert.equal(first.data.length, 2)
    assert.equal(first.page.hasMore, true)
    const url = `/v1/me/sessions?limit=2&cursor=${first.page.nextCursor}`
    const second = (await call(ctx, 'GET', url, token)).json()
    assert.deepEqual(
      second.data.map((s: { id: string }) => s.id),
      [sidOf(token)],
    )
    assert.equal(second.page.hasMore, false)
    const bad = await call(ctx, 'GET', '/v1/me/sessions?cursor=nope', token)
    assert.equal(bad.statusCode, 400)
  })

  test('a refresh updates lastUsedAt', async () => {
    const session = await signIn(ctx, await newCustomer(ctx))
    const before = (await call(ctx, 'GET', '/v1/me/sessions', session.accessToken)).json().data[0]
    // Last used a minute ago, so the refresh's timestamp is strictly later without waiting.
    await sql`update auth.session set last_used_at = last_used_at - interval '1 minute'
      where id = ${before.id}`.execute(ctx.database.db)
    const rotated = (await refresh(ctx, { refreshToken: session.refreshToken })).json()
    const after = (await call(ctx, 'GET', '/v1/me/sessions', rotated.accessToken)).json().data[0]
    assert.ok(Date.parse(after.lastUsedAt) > Date.parse(before.lastUsedAt))
    assert.equal(after.createdAt, before.createdAt)
  })
})

describe('DELETE /v1/me/sessions/:id', () => {
  test('revokes one of your own sessions: its tokens stop working', async () => {
    const user = await newCustomer(ctx)
    const here = await signIn(ctx, user)
    const lost = await signIn(ctx, user)
    const res = await call(
      ctx,
      'DELETE',
      `/v1/me/sessions/${sidOf(lost.accessToken)}`,
      here.accessToken,
    )
    assert.equal(res.statusCode, 204)
    assert.equal((await getMe(ctx, lost.accessToken)).statusCode, 401)
    assert.equal((await refresh(ctx, { refreshToken: lost.refreshToken })).statusCode, 401)
    assert.equal((await getMe(ctx, here.accessToken)).statusCode, 200)
    const again = await call(
      ctx,
      'DELETE',
      `/v1/me/sessions/${sidOf(lost.accessToken)}`,
      here.accessToken,
    )
    assert.equal(again.statusCode, 404)
  })

  test("another user's session id is a 404 and that session lives on", async () => {
    const mine = await signIn(ctx, await newCustomer(ctx))
    const theirs = await signIn(ctx, await newCustomer(ctx))
    const res = await call(
      ctx,
      'DELETE',
      `/v1/me/sessions/${sidOf(theirs.accessToken)}`,
      mine.accessToken,
    )
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().code, 'session_not_found')
    assert.equal((await getMe(ctx, theirs.accessToken)).statusCode, 200)
    const unknown = await call(ctx, 'DELETE', '/v1/me/sessions/ses_nope', mine.accessToken)
    assert.equal(unknown.statusCode, 404)
  })

  test('needs a bearer token', async () => {
    assert.equal((await call(ctx, 'DELETE', '/v1/me/sessions/ses_x')).statusCode, 401)
    assert.equal((await call(ctx, 'GET', '/v1/me/sessions')).statusCode, 401)
  })
})

describe('POST /v1/me/password', () => {
  test('changes the password and signs out every other session, not this one', async () => {
    const user = await newCustomer(ctx)
    const here = await signIn(ctx, user)
    const others = [await signIn(ctx, user), await signIn(ctx, user)]
    const newPassword = `${user.password} but longer`
    const res = await call(ctx, 'POST', '/v1/me/password', here.accessToken, {
      currentPassword: user.password,
      newPassword,
    })
    assert.equal(res.statusCode, 204, res.body)

    assert.equal((await getMe(ctx, here.accessToken)).statusCode, 200)
    assert.equal((await refresh(ctx, { refreshToken: here.refreshToken })).statusCode, 200)
    for (const other of others) {
      assert.equal((await getMe(ctx, other.accessToken)).statusCode, 401)
      assert.equal((await refresh(ctx, { refreshToken: other.refreshToken })).statusCode, 401)
    }
    assert.equal((await login(ctx, { email: user.email, password: user.password })).statusCode, 401)
    assert.equal((await login(ctx, { email: user.email, password: newPassword })).statusCode, 200)

    const events = await ctx.database.db
      .selectFrom('platform.outbox')
      .select('payload')
      .where('type', '=', 'auth.password_changed')
      .where('aggregate_id', '=', user.id)
      .execute()
    assert.equal(events.length, 1)
    assert.equal(events[0]!.payload.revokedSessions, 2)
    assert.ok(!JSON.stringify(ctx.logs).includes(newPassword), 'new password in the log')
  })

  test('a wrong current password changes nothing and revokes nothing', async () => {
    const user = await newCustomer(ctx)
    const here = await signIn(ctx, user)
    const other = await signIn(ctx, user)
    const res = await call(ctx, 'POST', '/v1/me/password', here.accessToken, {
      currentPassword: 'not my password',
      newPassword: 'a brand new passphrase',
    })
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().code, 'password_incorrect')
    assert.equal(res.json().errors[0].path, '/body/currentPassword')
    assert.equal((await getMe(ctx, other.accessToken)).statusCode, 200)
    assert.equal((await login(ctx, { email: user.email, password: user.password })).statusCode, 200)
  })

  test('a new password that breaks the policy is a 400 and changes nothing', async () => {
    const user = await newCustomer(ctx)
    const here = await signIn(ctx, user)
    const other = await signIn(ctx, user)
    const short = await call(ctx, 'POST', '/v1/me/password', here.accessToken, {
      currentPassword: user.password,
      newPassword: 'short',
    })
    assert.equal(short.statusCode, 400)
    assert.equal(short.json().code, 'validation_failed')
    const common = await call(ctx, 'POST', '/v1/me/password', here.accessToken, {
      currentPassword: user.password,
      newPassword: user.email,
    })
    assert.equal(common.statusCode, 400, common.body)
    assert.equal(common.json().code, 'password_too_common')
    assert.equal(common.json().errors[0].path, '/body/newPassword')
    assert.equal((await getMe(ctx, other.accessToken)).statusCode, 200)
  })
})
