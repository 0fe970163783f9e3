import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose'
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '../../src/modules/auth/index.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { getMe, login, newCredentials, register } from './support.js'

let ctx: TestContext

before(async () => {
  ctx = await createTestContext()
})
after(async () => {
  await ctx.close()
})

async function registered() {
  const credentials = newCredentials()
  const res = await register(ctx, { ...credentials })
  assert.equal(res.statusCode, 201)
  return { ...credentials, id: res.json().user.id as string }
}

function withoutRequestFields(body: Record<string, unknown>) {
  const { requestId: _requestId, instance: _instance, ...rest } = body
  return rest
}

describe('POST /v1/auth/login', () => {
  test('returns an EdDSA access token that the published JWKS verifies, valid 15 minutes', async () => {
    const user = await registered()
    const res = await login(ctx, { email: user.email.toUpperCase(), password: user.password })

    assert.equal(res.statusCode, 200)
    const body = res.json()
    assert.deepEqual(Object.keys(body).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'user'])
    assert.equal(body.expiresIn, 900)
    assert.equal(body.user.id, user.id)

    const jwks = await ctx.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })
    assert.equal(jwks.statusCode, 200)
    assert.match(String(jwks.headers['cache-control']), /max-age=\d+/)
    const keySet = jwks.json() as JSONWebKeySet
    for (const key of keySet.keys) {
      assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x'])
      assert.equal(key.alg, 'EdDSA')
      assert.equal(key.crv, 'Ed25519')
      assert.equal(key.use, 'sig')
    }

    const header = decodeProtectedHeader(body.accessToken)
    assert.equal(header.alg, 'EdDSA')
    assert.ok(
      keySet.keys.some((k) => k.kid === header.kid),
      'the token names a published kid',
    )
    const { payload } = await jwtVerify(body.accessToken, createLocalJWKSet(keySet), {
      algorithms: ['EdDSA'],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
    })
    assert.equal(payload.sub, user.id)
    assert.equal(payload.role, 'customer')
    assert.equal(typeof payload.jti, 'string')
    assert.equal(payload.exp! - payload.iat!, 900)
  })

  test('a wrong password and an unknown email fail with the same 401', async () => {
    const user = await registered()
    const wrongPassword = await login(ctx, { email: user.email, password: 'not the password' })
    const unknownEmail = await login(ctx, {
      email: newCredentials().email,
      password: 'not the password',
    })

    assert.equal(wrongPassword.statusCode, 401)
    assert.equal(unknownEmail.statusCode, 401)
    assert.equal(wrongPassword.json().code, 'invalid_credentials')
    assert.deepEqual(
      withoutRequestFields(wrongPassword.json()),
      withoutRequestFields(unknownEmail.json()),
    )
    assert.equal(
      wrongPassword.headers['www-authenticate'],
      unknownEmail.headers['www-authenticate'],
    )
  })

  test('an unknown email costs a password verification too (no enumeration by timing)', async () => {
    const user = await registered()
    const time = async (email: string) => {
      const started = process.hrtime.bigint()
      const res = await login(ctx, { email, password: 'not the password' })
      assert.equal(res.statusCode, 401)
      return Number(process.hrtime.bigint() - started) / 1e6
    }
    await time(newCredentials().email) // warm-up
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < 3; i++) {
      known.push(await time(user.email))
      unknown.push(await time(newCredentials().email))
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!
    // Loose on purpose: without the dummy verification the unknown email is ~50x faster.
    assert.ok(
      median(unknown) > median(known) * 0.4,
      `unknown email ${median(unknown).toFixed(1)} ms vs wrong password ${median(known).toFixed(1)} ms`,
    )
  })

  test('a disabled account cannot sign in, even with the right password', async () => {
    const user = await registered()
    await ctx.database.db
      .updateTable('auth.user')
      .set({ status: 'disabled' })
      .where('id', '=', user.id)
      .execute()
    const res = await login(ctx, { email: user.email, password: user.password })
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().code, 'account_disabled')
    assert.ok(!('accessToken' in res.json()))
  })

  test('the log shows neither the password nor the access token', async () => {
    const user = await registered()
    const res = await login(ctx, { email: user.email, password: user.password })
    assert.equal(res.statusCode, 200)
    await getMe(ctx, res.json().accessToken)

    const logged = JSON.stringify(ctx.logs)
    assert.ok(logged.includes(user.id), 'the sign-in is logged')
    assert.ok(!logged.includes(user.password), 'password in the log')
    assert.ok(!logged.includes(res.json().accessToken), 'access token in the log')
    assert.ok(!logged.includes(res.json().accessToken.split('.')[2]), 'token signature in the log')
  })
})

describe('GET /v1/me', () => {
  test('returns the signed-in user for every role', async () => {
    for (const role of ['customer', 'staff', 'admin'] as const) {
      const res = await getMe(ctx, await ctx.tokenFor(role))
      assert.equal(res.statusCode, 200, res.body)
      const me = res.json()
      assert.equal(me.role, role)
      assert.match(me.id, /^usr_/)
      assert.equal(me.emailVerified, false)
      assert.ok(!('passwordHash' in me) && !('password_hash' in me))
    }
  })

  test('returns the same user that registered', async () => {
    const user = await registered()
    const token = (await login(ctx, { email: user.email, password: user.password })).json()
      .accessToken
    const res = await getMe(ctx, token)
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().id, user.id)
    assert.equal(res.json().email, user.email.toLowerCase())
  })

  test('without a token is a 401 with WWW-Authenticate', async () => {
    const res = await getMe(ctx)
    assert.equal(res.statusCode, 401)
    assert.match(String(res.headers['www-authenticate']), /^Bearer realm="emporium"/)
    assert.equal(res.json().code, 'unauthenticated')
  })
})
