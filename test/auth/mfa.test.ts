import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import { Secret, TOTP } from 'otpauth'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { login, newCredentials, register, type Credentials } from './support.js'

let ctx: TestContext

before(async () => {
  ctx = await createTestContext({
    MFA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOGIN_LOCKOUT_THRESHOLD: '5',
  })
})
after(async () => {
  await ctx.close()
})

const STEP_MS = 30_000
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** Codes for the step `offset` steps away from now, as a phone whose clock drifts would show. */
function codeAt(secret: string, offset: number): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 })
  return totp.generate({ timestamp: Date.now() + offset * STEP_MS })
}

/** Keeps a test from generating a code in one step and having it checked in the next. */
async function awayFromStepEdge(): Promise<void> {
  const intoStep = Date.now() % STEP_MS
  if (intoStep > STEP_MS - 3000) await sleep(STEP_MS - intoStep + 100)
}

interface MfaUser {
  credentials: Credentials
  token: string
  userId: string
  secret: string
}

async function signedIn(): Promise<Omit<MfaUser, 'secret'>> {
  const credentials = newCredentials('mfa')
  assert.equal((await register(ctx, { ...credentials })).statusCode, 201)
  const res = await login(ctx, { email: credentials.email, password: credentials.password })
  assert.equal(res.statusCode, 200, res.body)
  return { credentials, token: res.json().accessToken, userId: res.json().user.id }
}

function post(url: string, token: string | undefined, payload: Record<string, unknown>) {
  const headers = token ? bearer(token) : {}
  return ctx.app.inject({ method: 'POST', url, headers, payload })
}

async function enrol(user: Omit<MfaUser, 'secret'>): Promise<string> {
  const res = await post('/v1/auth/mfa/totp', user.token, {})
  assert.equal(res.statusCode, 200, res.body)
  return res.json().secret
}

/** Enrolled and confirmed with the previous step's code, so the current step is still unused. */
async function mfaUser(): Promise<MfaUser & { recoveryCodes: string[] }> {
  await awayFromStepEdge()
  const user = await signedIn()
  const secret = await enrol(user)
  const code = codeAt(secret, -1)
  const res = await post('/v1/auth/mfa/totp/confirm', user.token, { code })
  assert.equal(res.statusCode, 200, res.body)
  return { ...user, secret, recoveryCodes: res.json().recoveryCodes }
}

async function mfaToken(credentials: Credentials): Promise<string> {
  const res = await login(ctx, { email: credentials.email, password: credentials.password })
  assert.equal(res.statusCode, 200, res.body)
  const body = res.json()
  assert.deepEqual(Object.keys(body).sort(), ['mfaRequired', 'mfaToken'])
  assert.equal(body.mfaRequired, true)
  return body.mfaToken
}

function verify(token: string, code: string) {
  return post('/v1/auth/mfa/verify', undefined, { mfaToken: token, code })
}

async function outboxTypes(userId: string): Promise<string[]> {
  const rows = await ctx.database.db
    .selectFrom('platform.outbox' as never)
    .select(['type' as never])
    .where('aggregate_id' as never, '=', userId as never)
    .execute()
  return rows.map((r) => (r as { type: string }).type)
}

describe('TOTP enrolment', () => {
  test('enrol then confirm returns 10 recovery codes, stored hashed, and emits mfa_enabled', async () => {
    const user = await signedIn()
    const res = await post('/v1/auth/mfa/totp', user.token, {})
    assert.equal(res.statusCode, 200, res.body)
    const { secret, otpauthUrl } = res.json()
    assert.match(secret, /^[A-Z2-7]{32}$/)
    assert.match(otpauthUrl, /^otpauth:\/\/totp\/Emporium:.+secret=/)
    assert.equal(res.headers['cache-control'], 'no-store')

    const pending = await ctx.app.inject({ url: '/v1/auth/mfa', headers: bearer(user.token) })
    assert.deepEqual(pending.json(), { totp: 'pending', recoveryCodesLeft: 0 })
    const stillPassword = await login(ctx, {
      email: user.credentials.email,
      password: user.credentials.password,
    })
    assert.ok(stillPassword.json().accessToken, 'a pending enrolment does not change sign-in')

    const wrong = await post('/v1/auth/mfa/totp/confirm', user.token, { code: '000000' })
    assert.equal(wrong.statusCode, 403)
    assert.equal(wrong.json().code, 'mfa_code_invalid')

    await awayFromStepEdge()
    const confirmed = await post('/v1/auth/mfa/totp/confirm', user.token, {
      code: codeAt(secret, 0),
    })
    assert.equal(confirmed.statusCode, 200, confirmed.body)
    const { recoveryCodes } = confirmed.json()
    assert.equal(recoveryCodes.length, 10)
    assert.equal(new Set(recoveryCodes).size, 10)
    for (const c of recoveryCodes) assert.match(c, /^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/)

    const stored = JSON.stringify(
      await ctx.database.db
        .selectFrom(['auth.mfa_totp', 'auth.mfa_recovery_code'] as never[])
        .selectAll()
        .where('auth.mfa_totp.user_id' as never, '=', user.userId as never)
        .execute(),
    )
    assert.ok(!stored.includes(secret), 'the secret is encrypted at rest')
    for (const c of recoveryCodes) assert.ok(!stored.includes(c.replace(/-/g, '')))
    assert.ok((await outboxTypes(user.userId)).includes('auth.mfa_enabled'))

    const again = await post('/v1/auth/mfa/totp', user.token, {})
    assert.equal(again.statusCode, 409)
    assert.equal(again.json().code, 'mfa_already_enabled')
  })

  test('confirming without an enrolment is a 409', async () => {
    const user = await signedIn()
    const res = await post('/v1/auth/mfa/totp/confirm', user.token, { code: '123456' })
    assert.equal(res.statusCode, 409)
    assert.equal(res.json().code, 'mfa_enrolment_not_started')
  })
})

describe('sign-in with a second factor', () => {
  test('login answers only a challenge; verify with a TOTP code returns tokens', async () => {
    const user = await mfaUser()
    const token = await mfaToken(user.credentials)
    const res = await verify(token, codeAt(user.secret, 0))
    assert.equal(res.statusCode, 200, res.body)
    const body = res.json()
    assert.ok(body.accessToken && body.refreshToken)
    assert.equal(body.user.id, user.userId)
    const me = await ctx.app.inject({ url: '/v1/me', headers: bearer(body.accessToken) })
    assert.equal(me.statusCode, 200)

    const spent = await verify(token, codeAt(user.secret, 1))
    assert.equal(spent.statusCode, 401, 'an mfaToken is single-use')
    assert.equal(spent.json().code, 'mfa_token_invalid')
  })

  test('one step of drift either way is accepted, two are refused', async () => {
    const user = await mfaUser()
    for (const offset of [-2, 2]) {
      const res = await verify(await mfaToken(user.credentials), codeAt(user.secret, offset))
      assert.equal(res.statusCode, 401, `offset ${offset}`)
      assert.equal(res.json().code, 'mfa_code_invalid')
    }
    // Confirmation used step -1; +1 is the next unused step in the window.
    const ahead = await verify(await mfaToken(user.credentials), codeAt(user.secret, 1))
    assert.equal(ahead.statusCode, 200, ahead.body)

    const behind = await mfaUser()
    // Confirmation used step -1 (drift behind accepted); a second -1 would be a replay.
    const res = await verify(await mfaToken(behind.credentials), codeAt(behind.secret, 0))
    assert.equal(res.statusCode, 200, res.body)
  })

  test('a code is refused once used, and so is any earlier code in the window', async () => {
    const user = await mfaUser()
    const code = codeAt(user.secret, 0)
    assert.equal((await verify(await mfaToken(user.credentials), code)).statusCode, 200)
    const replay = await verify(await mfaToken(user.credentials), code)
    assert.equal(replay.statusCode, 401)
    assert.equal(replay.json().code, 'mfa_code_invalid')
    const older = await verify(await mfaToken(user.credentials), codeAt(user.secret, -1))
    assert.equal(older.statusCode, 401)
  })

  test('a recovery code signs in once, in any case and spacing', async () => {
    const user = await mfaUser()
    const [first] = user.recoveryCodes as [string]
    const typed = ` ${first.toUpperCase().replace(/-/g, ' ')} `
    const res = await verify(await mfaToken(user.credentials), typed)
    assert.equal(res.statusCode, 200, res.body)
    assert.ok((await outboxTypes(user.userId)).includes('auth.mfa_recovery_code_used'))
    const again = await verify(await mfaToken(user.credentials), first)
    assert.equal(again.statusCode, 401)
    assert.equal(again.json().code, 'mfa_code_invalid')

    const status = await ctx.app.inject({ url: '/v1/auth/mfa', headers: bearer(user.token) })
    assert.deepEqual(status.json(), { totp: 'enabled', recoveryCodesLeft: 9 })
  })

  test('an mfaToken dies after five wrong codes', async () => {
    const user = await mfaUser()
    const token = await mfaToken(user.credentials)
    for (let i = 0; i < 5; i++) {
      assert.equal((await verify(token, '000000')).json().code, 'mfa_code_invalid')
    }
    const res = await verify(token, codeAt(user.secret, 0))
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().code, 'mfa_token_invalid')
    const unknown = await verify(`mfa_${'a'.repeat(43)}`, codeAt(user.secret, 0))
    assert.equal(unknown.json().code, 'mfa_token_invalid')
  })
})

describe('disabling TOTP', () => {
  test('needs the password and a current code; then the password alone signs in again', async () => {
    const user = await mfaUser()
    const url = '/v1/auth/mfa/totp/disable'
    const { password } = user.credentials
    const wrong = await post(url, user.token, { code: '000000', password })
    assert.equal(wrong.statusCode, 403)
    assert.equal(wrong.json().code, 'mfa_code_invalid')
    const recovery = await post(url, user.token, { code: user.recoveryCodes[0], password })
    assert.equal(recovery.statusCode, 400, 'a recovery code cannot disable')
    const none = await post(url, user.token, {})
    assert.equal(none.statusCode, 400)
    const noPassword = await post(url, user.token, { code: codeAt(user.secret, 0) })
    assert.equal(noPassword.statusCode, 400, 'a stolen session alone cannot turn MFA off')
    const wrongPassword = await post(url, user.token, {
      code: codeAt(user.secret, 0),
      password: 'not the password at all',
    })
    assert.equal(wrongPassword.statusCode, 403)
    assert.equal(wrongPassword.json().code, 'password_incorrect')
    assert.equal(wrongPassword.json().errors[0].path, '/body/password')

    const ok = await post(url, user.token, { code: codeAt(user.secret, 0), password })
    assert.equal(ok.statusCode, 204, ok.body)
    assert.ok((await outboxTypes(user.userId)).includes('auth.mfa_disabled'))
    const res = await login(ctx, {
      email: user.credentials.email,
      password: user.credentials.password,
    })
    assert.ok(res.json().accessToken, 'no challenge any more')
    const twice = await post(url, user.token, { code: codeAt(user.secret, 1), password })
    assert.equal(twice.statusCode, 409)
    assert.equal(twice.json().code, 'mfa_not_enabled')
  })

  test('the right password does not clear wrong codes: 429 after five, password and all', async () => {
    const user = await mfaUser()
    const url = '/v1/auth/mfa/totp/disable'
    const { password } = user.credentials
    for (let i = 0; i < 5; i++) {
      const res = await post(url, user.token, { code: '000000', password })
      assert.equal(res.statusCode, 403, res.body)
      assert.equal(res.json().code, 'mfa_code_invalid')
    }
    const locked = await post(url, user.token, { code: codeAt(user.secret, 0), password })
    assert.equal(locked.statusCode, 429, locked.body)
    assert.ok(Number(locked.headers['retry-after']) > 0)
  })

  test('MFA routes need a signed-in user', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/mfa/totp', payload: {} })
    assert.equal(res.statusCode, 401)
  })
})
