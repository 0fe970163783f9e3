import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { decodeJwt } from 'jose'
import { loadConfig } from '../../src/config.js'
import { trustedOrigins } from '../../src/modules/auth/sessions/sessions.cookies.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { getMe } from './support.js'
import { newCustomer, refresh, signIn } from './sessions-support.js'

const SHOP = 'https://shop.example'
const API = 'https://api.example'
const COOKIE = '__Secure-refresh_token'

let ctx: TestContext

before(async () => {
  ctx = await createTestContext({
    CORS_ORIGINS: SHOP,
    PUBLIC_URL: API,
    REFRESH_TOKEN_TTL_DAYS: '3',
  })
})
after(async () => {
  await ctx.close()
})

function setCookieOf(res: { headers: Record<string, unknown> }): string {
  const header = res.headers['set-cookie']
  const all = Array.isArray(header) ? header : [header]
  const mine = all.find((c) => typeof c === 'string' && c.startsWith(`${COOKIE}=`))
  assert.ok(mine, `no ${COOKIE} cookie in ${JSON.stringify(header)}`)
  return mine as string
}

function cookieValue(setCookie: string): string {
  return setCookie.slice(COOKIE.length + 1).split(';')[0]!
}

async function cookieLogin() {
  const user = await newCustomer(ctx)
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    headers: { origin: SHOP },
    payload: { email: user.email, password: user.password, refreshTokenIn: 'cookie' },
  })
  assert.equal(res.statusCode, 200, res.body)
  return { res, cookie: cookieValue(setCookieOf(res)), accessToken: res.json().accessToken }
}

/** No body at all, as a browser `fetch` with only `credentials: 'include'` sends. */
function cookieRefresh(cookie: string, origin?: string) {
  return ctx.app.inject({
    method: 'POST',
    url: '/v1/auth/refresh',
    headers: { cookie: `${COOKIE}=${cookie}`, ...(origin ? { origin } : {}) },
  })
}

describe('cookie mode', () => {
  test('login sets the refresh token in an HttpOnly, Secure, SameSite=Strict cookie only', async () => {
    const { res, cookie } = await cookieLogin()
    assert.ok(!('refreshToken' in res.json()), 'the refresh token is also in the body')
    assert.match(cookie, /^rt_/)
    const attributes = setCookieOf(res)
      .split(';')
      .map((a) => a.trim().toLowerCase())
    assert.ok(attributes.includes('httponly'))
    assert.ok(attributes.includes('secure'))
    assert.ok(attributes.includes('samesite=strict'))
    assert.ok(attributes.includes('path=/v1/auth'))
    assert.ok(attributes.includes(`max-age=${3 * 86400}`))
  })

  test('refresh from an allowed Origin reads the cookie, rotates it and sets the new one', async () => {
    const { cookie, accessToken } = await cookieLogin()
    const res = await cookieRefresh(cookie, SHOP)
    assert.equal(res.statusCode, 200, res.body)
    assert.ok(!('refreshToken' in res.json()))
    const next = cookieValue(setCookieOf(res))
    assert.notEqual(next, cookie)
    assert.equal(decodeJwt(res.json().accessToken).sid, decodeJwt(accessToken).sid)
    // PUBLIC_URL's origin is trusted too.
    assert.equal((await cookieRefresh(next, API)).statusCode, 200)
  })

  test('refresh with the cookie from a foreign Origin, or none, is refused and spends nothing', async () => {
    const { cookie } = await cookieLogin()
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { referer: 'https://evil.example/page' },
      {},
    ]) {
      const res = await refresh(ctx, {}, { cookie: `${COOKIE}=${cookie}`, ...headers })
      assert.equal(res.statusCode, 403, JSON.stringify(headers))
      assert.equal(res.json().code, 'csrf_origin_rejected')
    }
    // A same-origin Referer is accepted when Origin is missing; the token was never spent.
    const res = await refresh(ctx, {}, { cookie: `${COOKIE}=${cookie}`, referer: `${SHOP}/a` })
    assert.equal(res.statusCode, 200, res.body)
  })

  test('a body token can be delivered as a cookie, and a cookie refresh can ask for the body', async () => {
    const session = await signIn(ctx, await newCustomer(ctx))
    const toCookie = await refresh(ctx, {
      refreshToken: session.refreshToken,
      refreshTokenIn: 'cookie',
    })
    assert.equal(toCookie.statusCode, 200)
    const cookie = cookieValue(setCookieOf(toCookie))
    const toBody = await refresh(
      ctx,
      { refreshTokenIn: 'body' },
      { cookie: `${COOKIE}=${cookie}`, origin: SHOP },
    )
    assert.equal(toBody.statusCode, 200)
    assert.match(toBody.json().refreshToken, /^rt_/)
  })

  test('a dead cookie gets a 401 and is cleared', async () => {
    const { cookie } = await cookieLogin()
    await cookieRefresh(cookie, SHOP)
    const res = await cookieRefresh(cookie, SHOP) // reuse
    assert.equal(res.statusCode, 401)
    assert.match(setCookieOf(res), /Max-Age=0|Expires=Thu, 01 Jan 1970/i)
  })

  test('logout with the cookie ends the session and clears the cookie; CSRF-checked', async () => {
    const { cookie, accessToken } = await cookieLogin()
    const refused = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { cookie: `${COOKIE}=${cookie}`, origin: 'https://evil.example' },
      payload: {},
    })
    assert.equal(refused.statusCode, 403)
    assert.equal((await getMe(ctx, accessToken)).statusCode, 200)

    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { cookie: `${COOKIE}=${cookie}`, origin: SHOP },
    })
    assert.equal(res.statusCode, 204)
    assert.match(setCookieOf(res), /Max-Age=0|Expires=Thu, 01 Jan 1970/i)
    assert.equal((await getMe(ctx, accessToken)).statusCode, 401)
  })
})

describe('trusted origins', () => {
  test('CORS_ORIGINS and PUBLIC_URL; a loopback PUBLIC_URL trusts every loopback name', () => {
    const local = trustedOrigins({ corsOrigins: [SHOP], publicUrl: 'http://127.0.0.1:3000' })
    assert.deepEqual(
      [...local].sort(),
      [SHOP, 'http://127.0.0.1:3000', 'http://[::1]:3000', 'http://localhost:3000'].sort(),
    )
    assert.deepEqual([...trustedOrigins({ corsOrigins: [], publicUrl: `${API}/base` })], [API])
  })
})

describe('refresh token storage and lifetime', () => {
  test('only a SHA-256 hash is stored: the database holds no plaintext token', async () => {
    const session = await signIn(ctx, await newCustomer(ctx))
    const rotated = (await refresh(ctx, { refreshToken: session.refreshToken })).json()
    const dump = JSON.stringify([
      await ctx.database.db.selectFrom('auth.refresh_token').selectAll().execute(),
      await ctx.database.db.selectFrom('auth.session').selectAll().execute(),
      await ctx.database.db.selectFrom('platform.outbox').selectAll().execute(),
    ])
    for (const token of [session.refreshToken, rotated.refreshToken]) {
      assert.ok(!dump.includes(token), 'plaintext refresh token in the database')
      assert.ok(!dump.includes(token.slice(3)), 'token body in the database')
      const hash = createHash('sha256').update(token).digest('hex')
      const row = await ctx.database.db
        .selectFrom('auth.refresh_token')
        .select('session_id')
        .where('token_hash', '=', hash)
        .executeTakeFirst()
      assert.equal(row?.session_id, decodeJwt(session.accessToken).sid)
    }
    const logged = JSON.stringify(ctx.logs)
    assert.ok(!logged.includes(session.refreshToken) && !logged.includes(rotated.refreshToken))
  })

  test('REFRESH_TOKEN_TTL_DAYS sets the lifetime; a bad value is refused at start', async () => {
    const session = await signIn(ctx, await newCustomer(ctx))
    const row = await ctx.database.db
      .selectFrom('auth.refresh_token')
      .select('expires_at')
      .where('session_id', '=', decodeJwt(session.accessToken).sid as string)
      .executeTakeFirstOrThrow()
    const days = (new Date(row.expires_at).getTime() - Date.now()) / 86_400_000
    assert.ok(days > 2.99 && days <= 3, `expires in ${days} days`)
    assert.equal(loadConfig({}).refreshTokenTtlDays, 7)
    assert.throws(() => loadConfig({ REFRESH_TOKEN_TTL_DAYS: '0' }), /REFRESH_TOKEN_TTL_DAYS/)
    assert.throws(() => loadConfig({ REFRESH_TOKEN_TTL_DAYS: 'week' }), /REFRESH_TOKEN_TTL_DAYS/)
  })
})
