import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import { decodeJwt } from 'jose'
import { Secret, TOTP } from 'otpauth'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { getMe, login, newCredentials, register, type Credentials } from '../auth/support.js'
import { gql, gqlData, gqlErrorCode } from './support.js'

let ctx: TestContext
const contexts: TestContext[] = []

before(async () => {
  ctx = await createTestContext({
    MFA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOGIN_LOCKOUT_THRESHOLD: '3',
  })
})
after(async () => {
  await Promise.all([ctx.close(), ...contexts.map((c) => c.close())])
})

const USER_FIELDS = 'id email name role emailVerified createdAt updatedAt'
const PAYLOAD_FIELDS = `mfaRequired accessToken refreshToken expiresIn mfaToken user { ${USER_FIELDS} }`

const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { ${PAYLOAD_FIELDS} }
}`
const REFRESH = `mutation ($token: String!) { refresh(refreshToken: $token) { ${PAYLOAD_FIELDS} } }`
const LOGOUT = `mutation ($token: String) { logout(refreshToken: $token) }`
const ME = `{ me { ${USER_FIELDS} } }`

interface User {
  id: string
  email: string
  name: string
  role: string
  emailVerified: boolean
  createdAt: string
  updatedAt: string
}

interface Payload {
  mfaRequired: boolean
  accessToken: string | null
  refreshToken: string | null
  expiresIn: number | null
  mfaToken: string | null
  user: User | null
}

async function registered(on = ctx): Promise<Credentials & { id: string }> {
  const credentials = newCredentials('gql')
  const res = await register(on, { ...credentials })
  assert.equal(res.statusCode, 201, res.body)
  return { ...credentials, id: res.json().user.id as string }
}

async function gqlLogin(user: Credentials, headers: Record<string, string> = {}) {
  const data = await gqlData<{ login: Payload }>(
    ctx,
    LOGIN,
    { email: user.email, password: user.password },
    { headers },
  )
  return data.login
}

async function me(token?: string) {
  return gql<{ me: User | null }>(ctx, ME, {}, token ? { token } : {})
}

describe(`GraphQL sign-in on ${engine}`, () => {
  test('login returns the tokens and the user; me with the access token shows that user', async () => {
    const user = await registered()
    const reply = await gql<{ login: Payload }>(ctx, LOGIN, {
      email: user.email.toUpperCase(),
      password: user.password,
    })
    assert.equal(reply.errors, undefined, JSON.stringify(reply.errors))
    assert.equal(reply.response.headers['cache-control'], 'no-store')
    const payload = reply.data!.login
    assert.equal(payload.mfaRequired, false)
    assert.equal(payload.mfaToken, null)
    assert.equal(payload.expiresIn, 900)
    assert.match(payload.refreshToken!, /^rt_[A-Za-z0-9_-]{43}$/)
    assert.equal(decodeJwt(payload.accessToken!).sub, user.id)
    assert.equal(payload.user!.id, user.id)

    const { me: shown } = await gqlData<{ me: User }>(ctx, ME, {}, { token: payload.accessToken! })
    // GET /v1/me also reports the caller's permissions; GraphQL's User has no such field.
    const { permissions, ...rest } = (await getMe(ctx, payload.accessToken!)).json()
    assert.deepEqual(permissions, [])
    assert.deepEqual(shown, rest, 'the same user as GET /v1/me')
    assert.equal(shown.email, user.email.toLowerCase())
    assert.equal(shown.role, 'customer')
  })

  test('me without a token is null, not an error; so with an API key', async () => {
    const anonymous = await me()
    assert.equal(anonymous.status, 200)
    assert.equal(anonymous.errors, undefined)
    assert.deepEqual(anonymous.data, { me: null })

    const admin = await ctx.tokenFor('admin')
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/api-keys',
      headers: { authorization: `Bearer ${admin}` },
      payload: { name: 'gql me', scopes: ['catalog:read'] },
    })
    assert.equal(created.statusCode, 201, created.body)
    const viaKey = await me(created.json().key)
    assert.equal(viaKey.errors, undefined, JSON.stringify(viaKey.errors))
    assert.deepEqual(viaKey.data, { me: null })
  })

  test('a wrong password and an unknown email are the same invalid_credentials', async () => {
    const user = await registered()
    const wrong = await gql(ctx, LOGIN, { email: user.email, password: 'not the password' })
    const unknown = await gql(ctx, LOGIN, {
      email: newCredentials().email,
      password: 'not the password',
    })
    assert.equal(wrong.errors?.[0]?.extensions.code, 'invalid_credentials')
    assert.deepEqual(wrong.errors, unknown.errors)
    assert.equal(wrong.data, null)
  })

  test('arguments are validated with the REST body schema', async () => {
    const reply = await gql(ctx, LOGIN, { email: 'not-an-address', password: 'x' })
    assert.equal(reply.errors?.[0]?.extensions.code, 'validation_failed')
    const errors = reply.errors![0]!.extensions.errors as { path: string }[]
    assert.ok(
      errors.some((e) => e.path === '/login/email'),
      JSON.stringify(errors),
    )
  })

  test('a disabled account cannot sign in', async () => {
    const user = await registered()
    await ctx.database.db
      .updateTable('auth.user')
      .set({ status: 'disabled' })
      .where('id', '=', user.id)
      .execute()
    const reply = await gql(ctx, LOGIN, { email: user.email, password: user.password })
    assert.equal(reply.errors?.[0]?.extensions.code, 'account_disabled')
  })

  test('the session and the audit log record the client, as a REST sign-in does', async () => {
    const user = await registered()
    const payload = await gqlLogin(user, { 'user-agent': 'gql-client/1.0' })
    const sessions = await ctx.app.inject({
      method: 'GET',
      url: '/v1/me/sessions',
      headers: { authorization: `Bearer ${payload.accessToken}` },
    })
    assert.equal(sessions.statusCode, 200, sessions.body)
    const [session] = sessions.json().data
    assert.equal(session.userAgent, 'gql-client/1.0')
    assert.equal(session.ip, '127.0.0.1')
    assert.equal(session.current, true)

    const auditor = await ctx.tokenFor('admin')
    const log = await ctx.app.inject({
      method: 'GET',
      url: `/v1/admin/audit-log?actor=${user.id}`,
      headers: { authorization: `Bearer ${auditor}` },
    })
    assert.equal(log.statusCode, 200, log.body)
    const success = log
      .json()
      .data.find((e: { action: string }) => e.action === 'auth.login_succeeded')
    assert.ok(success, log.body)
    assert.equal(success.userAgent, 'gql-client/1.0')
    assert.equal(success.ip, '127.0.0.1')
  })

  test('repeated failures lock the account through GraphQL too', async () => {
    const user = await registered()
    for (let i = 0; i < 3; i++) {
      const code = await gqlErrorCode(ctx, LOGIN, { email: user.email, password: 'wrong one!' })
      assert.equal(code, 'invalid_credentials')
    }
    const locked = await gql(ctx, LOGIN, { email: user.email, password: user.password })
    assert.equal(locked.errors?.[0]?.extensions.code, 'rate_limited')
    assert.equal(typeof locked.errors?.[0]?.extensions.retryAfter, 'number')
    const rest = await login(ctx, { email: user.email, password: user.password })
    assert.equal(rest.statusCode, 429, 'the same lock as REST sign-in')
  })
})

describe(`GraphQL register on ${engine}`, () => {
  const REGISTER = `mutation ($email: String!, $password: String!, $name: String!) {
    register(email: $email, password: $password, name: $name) { ${USER_FIELDS} }
  }`

  test('creates a customer who can then sign in; a taken address is email_taken', async () => {
    const credentials = newCredentials('gql-register')
    const { register: user } = await gqlData<{ register: User }>(ctx, REGISTER, {
      ...credentials,
    })
    assert.match(user.id, /^usr_/)
    assert.equal(user.role, 'customer')
    assert.equal(user.emailVerified, false)
    const payload = await gqlLogin(credentials)
    assert.equal(payload.user!.id, user.id)

    const again = await gqlErrorCode(ctx, REGISTER, { ...credentials })
    assert.equal(again, 'email_taken')
  })

  test('the password policy and the address pattern apply', async () => {
    const credentials = newCredentials('gql-register')
    const short = await gql(ctx, REGISTER, { ...credentials, password: 'short' })
    assert.equal(short.errors?.[0]?.extensions.code, 'validation_failed')
    const noDot = await gql(ctx, REGISTER, { ...credentials, email: 'someone@localhost' })
    assert.equal(noDot.errors?.[0]?.extensions.code, 'validation_failed')
  })
})

describe(`GraphQL sessions on ${engine}`, () => {
  test('refresh rotates the pair; the spent token then fails and revokes the session, as REST', async () => {
    const first = await gqlLogin(await registered())
    const { refresh: rotated } = await gqlData<{ refresh: Payload }>(ctx, REFRESH, {
      token: first.refreshToken,
    })
    assert.equal(rotated.mfaRequired, false)
    assert.notEqual(rotated.refreshToken, first.refreshToken)
    assert.equal(rotated.user!.id, first.user!.id)
    assert.equal(decodeJwt(rotated.accessToken!).sid, decodeJwt(first.accessToken!).sid)
    assert.equal((await me(rotated.accessToken!)).data?.me?.id, first.user!.id)

    const reused = await gql(ctx, REFRESH, { token: first.refreshToken })
    assert.equal(reused.errors?.[0]?.extensions.code, 'invalid_refresh_token')
    assert.equal(
      await gqlErrorCode(ctx, REFRESH, { token: rotated.refreshToken }),
      'invalid_refresh_token',
      'the reuse revoked the whole session',
    )
    assert.equal((await getMe(ctx, rotated.accessToken!)).statusCode, 401)
  })

  test('an unknown refresh token is invalid_refresh_token', async () => {
    const code = await gqlErrorCode(ctx, REFRESH, { token: `rt_${'A'.repeat(43)}` })
    assert.equal(code, 'invalid_refresh_token')
  })

  test('logout with the refresh token ends that session: its access token stops working', async () => {
    const session = await gqlLogin(await registered())
    const { logout } = await gqlData<{ logout: boolean }>(ctx, LOGOUT, {
      token: session.refreshToken,
    })
    assert.equal(logout, true)
    const after = await me(session.accessToken!)
    assert.equal(after.status, 401)
    assert.equal(after.errors?.[0]?.extensions.code, 'invalid_token')
    assert.equal((await getMe(ctx, session.accessToken!)).statusCode, 401)
    assert.equal(
      await gqlErrorCode(ctx, REFRESH, { token: session.refreshToken }),
      'invalid_refresh_token',
    )
  })

  test("logout with only the bearer token ends the bearer's session, not the user's others", async () => {
    const user = await registered()
    const ending = await gqlLogin(user)
    const other = await gqlLogin(user)
    const data = await gqlData<{ logout: boolean }>(ctx, LOGOUT, {}, { token: ending.accessToken! })
    assert.equal(data.logout, true)
    assert.equal((await getMe(ctx, ending.accessToken!)).statusCode, 401)
    assert.equal((await me(other.accessToken!)).data?.me?.id, user.id)
  })

  test('logout with nothing to name a session is unauthenticated', async () => {
    assert.equal(await gqlErrorCode(ctx, LOGOUT, {}), 'unauthenticated')
  })
})

describe(`GraphQL two-factor sign-in on ${engine}`, () => {
  const STEP_MS = 30_000
  const VERIFY = `mutation ($mfaToken: String!, $code: String!) {
    verifyMfa(mfaToken: $mfaToken, code: $code) { ${PAYLOAD_FIELDS} }
  }`

  function codeAt(secret: string, offset: number): string {
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 })
    return totp.generate({ timestamp: Date.now() + offset * STEP_MS })
  }

  async function awayFromStepEdge(): Promise<void> {
    const intoStep = Date.now() % STEP_MS
    if (intoStep > STEP_MS - 3000) await sleep(STEP_MS - intoStep + 100)
  }

  /** Enrolled over REST and confirmed with the previous step's code. */
  async function mfaUser() {
    await awayFromStepEdge()
    const user = await registered()
    const token = (await login(ctx, { email: user.email, password: user.password })).json()
      .accessToken as string
    const headers = { authorization: `Bearer ${token}` }
    const enrol = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/mfa/totp',
      headers,
      payload: {},
    })
    assert.equal(enrol.statusCode, 200, enrol.body)
    const secret = enrol.json().secret as string
    const confirm = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/mfa/totp/confirm',
      headers,
      payload: { code: codeAt(secret, -1) },
    })
    assert.equal(confirm.statusCode, 200, confirm.body)
    return { ...user, secret, recoveryCodes: confirm.json().recoveryCodes as string[] }
  }

  test('login answers only the challenge; verifyMfa with a TOTP code signs in', async () => {
    const user = await mfaUser()
    const challenge = await gqlLogin(user)
    assert.deepEqual(
      { ...challenge, mfaToken: typeof challenge.mfaToken },
      {
        mfaRequired: true,
        mfaToken: 'string',
        accessToken: null,
        refreshToken: null,
        expiresIn: null,
        user: null,
      },
    )
    assert.match(challenge.mfaToken!, /^mfa_/)

    const wrong = await gql(ctx, VERIFY, { mfaToken: challenge.mfaToken, code: '000000' })
    assert.equal(wrong.errors?.[0]?.extensions.code, 'mfa_code_invalid')

    const { verifyMfa } = await gqlData<{ verifyMfa: Payload }>(ctx, VERIFY, {
      mfaToken: challenge.mfaToken,
      code: codeAt(user.secret, 0),
    })
    assert.equal(verifyMfa.mfaRequired, false)
    assert.equal(verifyMfa.user!.id, user.id)
    assert.match(verifyMfa.refreshToken!, /^rt_/)
    assert.equal((await me(verifyMfa.accessToken!)).data?.me?.id, user.id)

    const again = await gqlErrorCode(ctx, VERIFY, {
      mfaToken: challenge.mfaToken,
      code: codeAt(user.secret, 0),
    })
    assert.equal(again, 'mfa_token_invalid', 'the challenge is single use')
  })

  test('a recovery code signs in in place of a TOTP code', async () => {
    const user = await mfaUser()
    const challenge = await gqlLogin(user)
    const { verifyMfa } = await gqlData<{ verifyMfa: Payload }>(ctx, VERIFY, {
      mfaToken: challenge.mfaToken,
      code: user.recoveryCodes[0],
    })
    assert.equal(verifyMfa.user!.id, user.id)
  })
})

describe(`GraphQL credential rate limits on ${engine}`, () => {
  // On Redis when the run has one: the counters a resolver charges are the shared ones.
  const redis: Record<string, string> = process.env.REDIS_URL
    ? { REDIS_URL: process.env.REDIS_URL }
    : {}

  async function limited(env: Record<string, string>): Promise<TestContext> {
    const created = await createTestContext({ ...env, ...redis })
    contexts.push(created)
    return created
  }

  async function userOn(on: TestContext): Promise<Credentials> {
    const credentials = newCredentials('gql-limit')
    await on.runtime.modules.auth.service.createUser({ ...credentials, role: 'customer' })
    return credentials
  }

  const loginFrom = (on: TestContext, user: Credentials, ip = '127.0.0.1') =>
    on.app.inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: ip,
      payload: { query: LOGIN, variables: { email: user.email, password: user.password } },
    })

  test('login counts on the auth quota per address, shared with REST, then rate_limited', async () => {
    const on = await limited({ RATE_LIMIT_AUTH: '3/60' })
    const user = await userOn(on)
    for (let i = 0; i < 2; i++) {
      const res = await loginFrom(on, user)
      assert.equal(res.statusCode, 200)
      assert.equal(res.json().errors, undefined, res.body)
      assert.match(String(res.headers['ratelimit-policy']), /"auth";q=3;w=60/)
      assert.match(String(res.headers.ratelimit), new RegExp(`"auth";r=${2 - i};`))
    }
    const rest = await login(on, { email: user.email, password: user.password })
    assert.equal(rest.statusCode, 200, 'the third attempt, over REST')

    const refused = await loginFrom(on, user)
    const body = refused.json()
    assert.equal(body.data, null)
    assert.equal(body.errors[0].extensions.code, 'rate_limited')
    const retryAfter = body.errors[0].extensions.retryAfter
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `retryAfter ${retryAfter}`)
    assert.equal(refused.headers['retry-after'], String(retryAfter))
    assert.equal((await login(on, { ...user })).statusCode, 429, 'REST is refused as well')

    const elsewhere = await loginFrom(on, user, '10.0.0.9')
    assert.equal(elsewhere.json().errors, undefined, 'another address has its own quota')
  })

  test('aliased logins in one request count one each', async () => {
    const on = await limited({ RATE_LIMIT_AUTH: '3/60' })
    const user = await userOn(on)
    const args = `(email: "${user.email}", password: "${user.password}")`
    const reply = await gql<Record<string, { mfaRequired: boolean } | null>>(
      on,
      `mutation { a: login${args} { mfaRequired } b: login${args} { mfaRequired }
        c: login${args} { mfaRequired } d: login${args} { mfaRequired } }`,
    )
    assert.equal(reply.errors?.length, 1, JSON.stringify(reply.errors))
    assert.equal(reply.errors![0]!.extensions.code, 'rate_limited')
    assert.deepEqual(reply.errors![0]!.path, ['d'])
  })

  test('login and register count per account (auth-account) across addresses', async () => {
    const on = await limited({ RATE_LIMIT_AUTH: '100/60', RATE_LIMIT_AUTH_ACCOUNT: '2/60' })
    const user = await userOn(on)
    for (const ip of ['10.0.0.1', '10.0.0.2']) {
      assert.equal((await loginFrom(on, user, ip)).json().errors, undefined)
    }
    const refused = (await loginFrom(on, user, '10.0.0.3')).json()
    assert.equal(refused.errors[0].extensions.code, 'rate_limited')
    const other = await userOn(on)
    assert.equal((await loginFrom(on, other, '10.0.0.3')).json().errors, undefined)

    const REGISTER = `mutation ($email: String!, $password: String!, $name: String!) {
      register(email: $email, password: $password, name: $name) { id }
    }`
    const credentials = newCredentials('gql-limit')
    assert.equal(await gqlErrorCode(on, REGISTER, { ...credentials }), undefined)
    assert.equal(await gqlErrorCode(on, REGISTER, { ...credentials }), 'email_taken')
    assert.equal(await gqlErrorCode(on, REGISTER, { ...credentials }), 'rate_limited')
  })
})
