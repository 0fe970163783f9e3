import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { readMailDir, tempDataDir, tokenIn } from '../helpers/mailbox.js'
import { passwordPolicyError } from '../../src/modules/auth/index.js'
import { getMe, login, newCredentials, register, type Credentials } from './support.js'

let ctx: TestContext
let dataDir: { dir: string; cleanup: () => Promise<void> }

before(async () => {
  dataDir = await tempDataDir()
  ctx = await createTestContext({ DATA_DIR: dataDir.dir, STOREFRONT_URL: 'https://shop.example' })
})
after(async () => {
  await ctx.close()
  await dataDir.cleanup()
})

const post = (url: string, payload: Record<string, unknown>, token?: string) =>
  ctx.app.inject({
    method: 'POST',
    url,
    payload,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  })

async function mailsTo(email: string) {
  return (await readMailDir(dataDir.dir)).filter((m) => m.to === email.toLowerCase())
}

/** The newest mail to `email` with this subject; fails the test when there is none. */
async function lastMail(email: string, subject: RegExp) {
  const mail = (await mailsTo(email)).filter((m) => subject.test(m.subject)).at(-1)
  assert.ok(mail, `a mail to ${email} matching ${subject}`)
  return mail
}

/** Registers, lets the outbox deliver the welcome mail, and returns its token. */
async function registeredWithToken(): Promise<{
  credentials: Credentials
  userId: string
  token: string
}> {
  const credentials = newCredentials('verify')
  const res = await register(ctx, { ...credentials })
  assert.equal(res.statusCode, 201, res.body)
  await ctx.runtime.relay.drain()
  const [mail] = await mailsTo(credentials.email)
  assert.ok(mail, 'the welcome mail was written to DATA_DIR/mail')
  return { credentials, userId: res.json().user.id, token: tokenIn(mail.body) }
}

async function signIn(credentials: Credentials): Promise<string> {
  const res = await login(ctx, { email: credentials.email, password: credentials.password })
  assert.equal(res.statusCode, 200, res.body)
  return res.json().accessToken
}

describe('email verification', () => {
  test('registering mails a welcome with a link; the token verifies the address once', async () => {
    const { credentials, userId, token } = await registeredWithToken()
    const mail = await lastMail(credentials.email, /confirm your email address/)
    assert.ok(mail.body.includes(`https://shop.example/account/verify-email?token=${token}`))

    const stored = await ctx.database.db
      .selectFrom('auth.account_token')
      .select(['token_hash', 'purpose'])
      .where('user_id', '=', userId)
      .execute()
    assert.deepEqual(stored, [
      {
        token_hash: createHash('sha256').update(token).digest('hex'),
        purpose: 'email_verification',
      },
    ])

    const first = await post('/v1/auth/email/verify', { token })
    assert.equal(first.statusCode, 204, first.body)
    const me = await getMe(ctx, await signIn(credentials))
    assert.equal(me.json().emailVerified, true)

    const again = await post('/v1/auth/email/verify', { token })
    assert.equal(again.statusCode, 400)
    assert.equal(again.json().code, 'token_invalid')
    assert.equal(again.json().errors[0].path, '/body/token')
  })

  test('an expired token is refused with token_expired and verifies nothing', async () => {
    const { credentials, userId, token } = await registeredWithToken()
    await ctx.database.db
      .updateTable('auth.account_token')
      .set({ expires_at: sql<Date>`now() - interval '1 minute'` })
      .where('user_id', '=', userId)
      .execute()
    const res = await post('/v1/auth/email/verify', { token })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'token_expired')
    const me = await getMe(ctx, await signIn(credentials))
    assert.equal(me.json().emailVerified, false)
  })

  test('an unknown or malformed token is a 400', async () => {
    const unknown = await post('/v1/auth/email/verify', { token: 'A'.repeat(43) })
    assert.equal(unknown.json().code, 'token_invalid')
    const malformed = await post('/v1/auth/email/verify', { token: 'nope' })
    assert.equal(malformed.statusCode, 400)
    assert.equal(malformed.json().code, 'validation_failed')
  })

  test('resend mails a new link to a signed-in user, and is a 409 once verified', async () => {
    const { credentials, token } = await registeredWithToken()
    const access = await signIn(credentials)
    const res = await post('/v1/auth/email/verify/resend', {}, access)
    assert.equal(res.statusCode, 202, res.body)
    await ctx.runtime.relay.drain()
    const mails = await mailsTo(credentials.email)
    assert.equal(mails.length, 2)
    const fresh = tokenIn((await lastMail(credentials.email, /^Confirm your email/)).body)
    assert.notEqual(fresh, token)
    assert.equal((await post('/v1/auth/email/verify', { token: fresh })).statusCode, 204)
    // Verifying spends every other open verification token of the account.
    assert.equal((await post('/v1/auth/email/verify', { token })).json().code, 'token_invalid')
    const late = await post('/v1/auth/email/verify/resend', {}, access)
    assert.equal(late.statusCode, 409)
    assert.equal(late.json().code, 'email_already_verified')
  })
})

describe('password reset', () => {
  test('forgot answers 202 with the same body for known and unknown emails', async () => {
    const { credentials } = await registeredWithToken()
    const unknownEmail = `nobody-${Date.now()}@example.test`
    const known = await post('/v1/auth/password/forgot', { email: credentials.email.toUpperCase() })
    const unknown = await post('/v1/auth/password/forgot', { email: unknownEmail })
    assert.equal(known.statusCode, 202)
    assert.equal(unknown.statusCode, 202)
    assert.equal(known.body, unknown.body)
    await ctx.runtime.relay.drain()
    assert.equal((await mailsTo(unknownEmail)).length, 0)
    const reset = (await mailsTo(credentials.email)).filter(
      (m) => m.subject === 'Reset your password',
    )
    assert.equal(reset.length, 1)
    assert.ok(reset[0]?.body.includes('https://shop.example/account/reset-password?token='))
  })

  test('reset sets the new password, the old one fails, sessions end, the token is spent', async () => {
    const { credentials, userId } = await registeredWithToken()
    await signIn(credentials)
    await post('/v1/auth/password/forgot', { email: credentials.email })
    await ctx.runtime.relay.drain()
    const mail = await lastMail(credentials.email, /^Reset your password$/)
    const token = tokenIn(mail.body)
    const newPassword = `a brand new secret ${Date.now()}`

    const res = await post('/v1/auth/password/reset', { token, newPassword })
    assert.equal(res.statusCode, 204, res.body)
    const old = await login(ctx, { email: credentials.email, password: credentials.password })
    assert.equal(old.statusCode, 401)
    assert.equal(
      (await login(ctx, { email: credentials.email, password: newPassword })).statusCode,
      200,
    )

    const live = await sql<{ n: string }>`select count(*) as n from auth.session
      where user_id = ${userId} and revoked_at is null`.execute(ctx.database.db)
    assert.equal(Number(live.rows[0]?.n), 1, 'only the session opened after the reset is live')

    const again = await post('/v1/auth/password/reset', { token, newPassword: `${newPassword}!` })
    assert.equal(again.json().code, 'token_invalid')
    const user = await ctx.database.db
      .selectFrom('auth.user')
      .select('email_verified_at')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()
    assert.ok(user.email_verified_at, 'reading the reset mail proves the address')
  })

  test('an expired reset token is refused and the password stays', async () => {
    const { credentials, userId } = await registeredWithToken()
    await post('/v1/auth/password/forgot', { email: credentials.email })
    await ctx.runtime.relay.drain()
    const mail = await lastMail(credentials.email, /^Reset your password$/)
    await ctx.database.db
      .updateTable('auth.account_token')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('user_id', '=', userId)
      .where('purpose', '=', 'password_reset')
      .execute()
    const res = await post('/v1/auth/password/reset', {
      token: tokenIn(mail.body),
      newPassword: 'another long secret 42',
    })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'token_expired')
    assert.equal((await login(ctx, { ...credentials, name: undefined })).statusCode, 200)
  })
})

describe('password policy', () => {
  test('a common password is refused on register with password_too_common', async () => {
    const res = await register(ctx, { ...newCredentials(), password: 'Password1234' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'password_too_common')
    assert.deepEqual(res.json().errors, [{ path: '/body/password', message: 'is too common' }])
  })

  test('a common password is refused on reset, naming newPassword', async () => {
    const { credentials } = await registeredWithToken()
    await post('/v1/auth/password/forgot', { email: credentials.email })
    await ctx.runtime.relay.drain()
    const mail = await lastMail(credentials.email, /^Reset your password$/)
    const res = await post('/v1/auth/password/reset', {
      token: tokenIn(mail.body),
      newPassword: 'qwertyuiop',
    })
    assert.equal(res.json().code, 'password_too_common')
    assert.equal(res.json().errors[0].path, '/body/newPassword')
  })

  test('the policy: length only, no composition rules, list and context words', () => {
    assert.equal(passwordPolicyError('correct horse battery staple'), undefined)
    assert.equal(passwordPolicyError('alllowercaseletters'), undefined)
    assert.equal(passwordPolicyError('short')?.code, 'validation_failed')
    assert.equal(passwordPolicyError('x'.repeat(129))?.code, 'validation_failed')
    for (const common of ['1234567890', 'QWERTYUIOP', 'iloveyou12', 'Emporium2024!']) {
      assert.equal(passwordPolicyError(common)?.code, 'password_too_common', common)
    }
    assert.equal(
      passwordPolicyError('jane.doe.42', { email: 'Jane.Doe.42@example.test' })?.code,
      'password_too_common',
    )
  })
})
