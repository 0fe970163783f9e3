import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { SignJWT, decodeJwt, importJWK, type CryptoKey, type JWK } from 'jose'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { getMe } from './support.js'
import { call, newCustomer, refresh, signIn } from './sessions-support.js'

let ctx: TestContext

before(async () => {
  ctx = await createTestContext()
})
after(async () => {
  await ctx.close()
})

function assertInvalidRefresh(res: { statusCode: number; json(): Record<string, unknown> }) {
  assert.equal(res.statusCode, 401)
  const problem = res.json()
  assert.equal(problem.code, 'invalid_refresh_token')
  assert.equal(problem.detail, 'The refresh token is invalid or has expired. Sign in again.')
}

describe('POST /v1/auth/refresh', () => {
  test('login opens a session: the access token names it and the refresh token is opaque', async () => {
    const session = await signIn(ctx, await newCustomer(ctx))
    assert.match(session.refreshToken, /^rt_[A-Za-z0-9_-]{43}$/)
    assert.match(String(decodeJwt(session.accessToken).sid), /^ses_/)
  })

  test('rotates: a new pair that works, and the old refresh token is spent', async () => {
    const first = await signIn(ctx, await newCustomer(ctx))
    const res = await refresh(ctx, { refreshToken: first.refreshToken })
    assert.equal(res.statusCode, 200, res.body)
    const body = res.json()
    assert.deepEqual(Object.keys(body).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'user'])
    assert.notEqual(body.refreshToken, first.refreshToken)
    assert.equal(body.user.id, first.userId)
    assert.equal(res.headers['cache-control'], 'no-store')
    assert.equal(decodeJwt(body.accessToken).sid, decodeJwt(first.accessToken).sid)
    assert.equal((await getMe(ctx, body.accessToken)).statusCode, 200)

    const spent = await ctx.database.db
      .selectFrom('auth.refresh_token')
      .select(['spent_at'])
      .where('session_id', '=', decodeJwt(first.accessToken).sid as string)
      .orderBy('created_at')
      .execute()
    assert.equal(spent.length, 2)
    assert.ok(spent[0]!.spent_at !== null && spent[1]!.spent_at === null)
  })

  test('reusing a spent token revokes the whole session: new tokens and access tokens die', async () => {
    const first = await signIn(ctx, await newCustomer(ctx))
    const rotated = (await refresh(ctx, { refreshToken: first.refreshToken })).json()

    assertInvalidRefresh(await refresh(ctx, { refreshToken: first.refreshToken }))

    assertInvalidRefresh(await refresh(ctx, { refreshToken: rotated.refreshToken }))
    for (const token of [rotated.accessToken, first.accessToken]) {
      const me = await getMe(ctx, token)
      assert.equal(me.statusCode, 401)
      assert.equal(me.json().code, 'invalid_token')
    }
    const sid = decodeJwt(first.accessToken).sid as string
    const session = await ctx.database.db
      .selectFrom('auth.session')
      .select(['revoked_at', 'revoked_reason'])
      .where('id', '=', sid)
      .executeTakeFirstOrThrow()
    assert.ok(session.revoked_at !== null)
    assert.equal(session.revoked_reason, 'refresh_token_reuse')
    const events = await ctx.database.db
      .selectFrom('platform.outbox')
      .select(['type', 'payload'])
      .where('aggregate_id', '=', first.userId)
      .where('type', '=', 'auth.refresh_reuse_detected')
      .execute()
    assert.equal(events.length, 1)
    assert.equal(events[0]!.payload.sessionId, sid)
  })

  test('reuse revokes only that session: the same user signed in elsewhere stays in', async () => {
    const user = await newCustomer(ctx)
    const stolen = await signIn(ctx, user)
    const other = await signIn(ctx, user)
    await refresh(ctx, { refreshToken: stolen.refreshToken })
    assertInvalidRefresh(await refresh(ctx, { refreshToken: stolen.refreshToken }))
    assert.equal((await getMe(ctx, other.accessToken)).statusCode, 200)
    assert.equal((await refresh(ctx, { refreshToken: other.refreshToken })).statusCode, 200)
  })

  test('concurrent refreshes of one token: exactly one succeeds', async () => {
    const first = await signIn(ctx, await newCustomer(ctx))
    const results = await Promise.all(
      Array.from({ length: 6 }, () => refresh(ctx, { refreshToken: first.refreshToken })),
    )
    const statuses = results.map((r) => r.statusCode).sort()
    assert.deepEqual(statuses, [200, 401, 401, 401, 401, 401])
    const tokens = await ctx.database.db
      .selectFrom('auth.refresh_token')
      .select('token_hash')
      .where('session_id', '=', decodeJwt(first.accessToken).sid as string)
      .execute()
    assert.equal(tokens.length, 2, 'one rotation only')
  })

  test('unknown, malformed and expired tokens get the same generic 401', async () => {
    const first = await signIn(ctx, await newCustomer(ctx))
    await ctx.database.db
      .updateTable('auth.refresh_token')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('session_id', '=', decodeJwt(first.accessToken).sid as string)
      .execute()
    const unknown = `rt_${'A'.repeat(43)}`
    for (const refreshToken of [first.refreshToken, unknown, 'not-a-token']) {
      const res = await refresh(ctx, { refreshToken })
      assertInvalidRefresh(res)
      assert.ok(!res.body.includes(refreshToken), 'the reply echoes the token')
    }
    assertInvalidRefresh(await refresh(ctx, {}))
  })

  test('a disabled account cannot refresh, and its access tokens stop at once', async () => {
    const first = await signIn(ctx, await newCustomer(ctx))
    await ctx.database.db
      .updateTable('auth.user')
      .set({ status: 'disabled' })
      .where('id', '=', first.userId)
      .execute()
    assert.equal((await getMe(ctx, first.accessToken)).statusCode, 401)
    const res = await refresh(ctx, { refreshToken: first.refreshToken })
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().code, 'account_disabled')
  })
})

describe('access tokens and their session', () => {
  test('a token signed with our key but naming no session is refused', async () => {
    const session = await signIn(ctx, await newCustomer(ctx))
    const row = await ctx.database.db
      .selectFrom('auth.signing_key')
      .select(['kid', 'private_jwk'])
      .where('retired_at', 'is', null)
      .executeTakeFirstOrThrow()
    const key = (await importJWK(row.private_jwk as JWK, 'EdDSA')) as CryptoKey
    const { sid: _sid, ...claims } = decodeJwt(session.accessToken)
    const sign = (extra: Record<string, unknown>) =>
      new SignJWT({ ...claims, ...extra })
        .setProtectedHeader({ alg: 'EdDSA', kid: row.kid, typ: 'at+jwt' })
        .sign(key)
    assert.equal((await getMe(ctx, await sign({}))).statusCode, 401)
    assert.equal((await getMe(ctx, await sign({ sid: 'ses_unknown' }))).statusCode, 401)
    const stranger = await signIn(ctx, await newCustomer(ctx))
    const foreignSid = decodeJwt(stranger.accessToken).sid
    assert.equal((await getMe(ctx, await sign({ sid: foreignSid }))).statusCode, 401)
    assert.equal(
      (await getMe(ctx, await sign({ sid: decodeJwt(session.accessToken).sid }))).statusCode,
      200,
    )
  })
})

describe('logout', () => {
  test('POST /v1/auth/logout with the refresh token ends that session only', async () => {
    const user = await newCustomer(ctx)
    const ended = await signIn(ctx, user)
    const kept = await signIn(ctx, user)
    const res = await call(ctx, 'POST', '/v1/auth/logout', undefined, {
      refreshToken: ended.refreshToken,
    })
    assert.equal(res.statusCode, 204)
    assert.equal((await getMe(ctx, ended.accessToken)).statusCode, 401)
    assertInvalidRefresh(await refresh(ctx, { refreshToken: ended.refreshToken }))
    assert.equal((await getMe(ctx, kept.accessToken)).statusCode, 200)
  })

  test('POST /v1/auth/logout with only the bearer token ends its session', async () => {
    const session = await signIn(ctx, await newCustomer(ctx))
    const res = await call(ctx, 'POST', '/v1/auth/logout', session.accessToken, {})
    assert.equal(res.statusCode, 204)
    assert.equal((await getMe(ctx, session.accessToken)).statusCode, 401)
    assertInvalidRefresh(await refresh(ctx, { refreshToken: session.refreshToken }))
  })

  test('POST /v1/auth/logout with nothing to say which session is a 401', async () => {
    const res = await call(ctx, 'POST', '/v1/auth/logout', undefined, {})
    assert.equal(res.statusCode, 401)
  })

  test('POST /v1/auth/logout-all ends every session of the user, not other users', async () => {
    const user = await newCustomer(ctx)
    const sessions = [await signIn(ctx, user), await signIn(ctx, user), await signIn(ctx, user)]
    const stranger = await signIn(ctx, await newCustomer(ctx))
    const res = await call(ctx, 'POST', '/v1/auth/logout-all', sessions[0]!.accessToken)
    assert.equal(res.statusCode, 204)
    for (const s of sessions) {
      assert.equal((await getMe(ctx, s.accessToken)).statusCode, 401)
      assertInvalidRefresh(await refresh(ctx, { refreshToken: s.refreshToken }))
    }
    assert.equal((await getMe(ctx, stranger.accessToken)).statusCode, 200)
  })

  test('POST /v1/auth/logout-all needs a bearer token', async () => {
    assert.equal((await call(ctx, 'POST', '/v1/auth/logout-all')).statusCode, 401)
  })
})
