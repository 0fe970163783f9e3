import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Kysely } from 'kysely'
import { createUnitOfWork } from '../../src/platform/db/unit-of-work.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import type { AccountDb } from '../../src/modules/auth/account/account.repo.js'
import { createVerificationService } from '../../src/modules/auth/account/verification.service.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { signedInCustomer } from './support.js'

let ctx: TestContext

before(async () => {
  // Three wrong secrets per user and window; the window outlasts the test.
  ctx = await createTestContext({ LOGIN_LOCKOUT_THRESHOLD: '3', LOGIN_LOCKOUT_WINDOW: '900' })
})
after(async () => {
  await ctx.close()
})

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const post = (url: string, token: string, payload: Record<string, unknown>) =>
  ctx.app.inject({ method: 'POST', url, headers: bearer(token), payload })

/** Three wrong secrets answer `code`; the fourth try, even a right one, is a 429. */
async function locksAfterThree(
  attempt: (right: boolean) => Promise<{ statusCode: number; json(): { code: string } }>,
  code: string,
  headersOf: (right: boolean) => Promise<Record<string, unknown>>,
) {
  for (let i = 0; i < 3; i++) {
    const res = await attempt(false)
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().code, code)
  }
  const locked = await attempt(true)
  assert.equal(locked.statusCode, 429)
  assert.equal(locked.json().code, 'rate_limited')
  assert.ok(Number((await headersOf(true))['retry-after']) > 0)
}

describe('secret checks of a signed-in user are counted per user', () => {
  test('changing the password: 429 after three wrong current passwords', async () => {
    const { token } = await signedInCustomer(ctx)
    let last: Record<string, unknown> = {}
    const attempt = async (right: boolean) => {
      const res = await post('/v1/me/password', token, {
        currentPassword: right ? 'unused: locked first' : 'wrong password guess',
        newPassword: 'a brand new long password',
      })
      last = res.headers
      return res
    }
    await locksAfterThree(attempt, 'password_incorrect', async () => last)
  })

  test('deleting the account: 429 after three wrong passwords, shared with the change', async () => {
    const { token } = await signedInCustomer(ctx)
    let last: Record<string, unknown> = {}
    const attempt = async (right: boolean) => {
      const res = await post('/v1/me/delete', token, {
        password: right ? 'unused: locked first' : 'wrong password guess',
      })
      last = res.headers
      return res
    }
    await locksAfterThree(attempt, 'password_incorrect', async () => last)
    const change = await post('/v1/me/password', token, {
      currentPassword: 'another guess entirely',
      newPassword: 'a brand new long password',
    })
    assert.equal(change.statusCode, 429, 'one count for every password check of the user')
  })

  test('confirming TOTP: 429 after three wrong codes', async () => {
    const { token } = await signedInCustomer(ctx)
    assert.equal((await post('/v1/auth/mfa/totp', token, {})).statusCode, 200)
    let last: Record<string, unknown> = {}
    const attempt = async () => {
      const res = await post('/v1/auth/mfa/totp/confirm', token, { code: '000000' })
      last = res.headers
      return res
    }
    await locksAfterThree(attempt, 'mfa_code_invalid', async () => last)
  })
})

describe('password reset', () => {
  test('checks the token before hashing the new password', async () => {
    const { userId } = await signedInCustomer(ctx)
    let hashes = 0
    const db = ctx.database.db as Kysely<unknown>
    const verification = createVerificationService({
      db: db as unknown as AccountDb,
      uow: createUnitOfWork(db, () => {}),
      logger: createLogger('silent'),
      revokeAllSessions: async () => 0,
      hashPassword: async () => {
        hashes++
        return 'not-a-real-hash'
      },
    })
    const invalid = 'x'.repeat(43)
    await assert.rejects(verification.resetPassword(invalid, 'a brand new long password'), {
      code: 'token_invalid',
    })
    assert.equal(hashes, 0, 'an invalid token costs no hashing')

    const issued = await verification.issueAccountToken(userId, 'password_reset')
    assert.ok(issued)
    await verification.resetPassword(issued.token, 'a brand new long password')
    assert.equal(hashes, 1)
  })
})
