import type { RateLimitStore } from '../../../platform/ratelimit/store.js'
import { RateLimitErrors } from '../../../platform/ratelimit/http.js'
import { AuthErrors } from './auth.errors.js'
import { findPasswordHash, type AuthDb } from './auth.repo.js'
import { verifyPassword } from './passwords.js'

/**
 * Failed secret checks of a signed-in user (the password to change it, delete the account or turn
 * two-factor off; TOTP codes to confirm or disable two-factor), counted per user: someone holding
 * a stolen session cannot guess the password or a code faster than `LOGIN_LOCKOUT_THRESHOLD`
 * failures per `LOGIN_LOCKOUT_WINDOW` (5 per 15 minutes by default). Beyond that the checks
 * answer 429 with Retry-After, before any password is verified; a success clears the count.
 */
export interface AttemptGuard {
  /** Runs `check`; a rejection for which `isFailure` holds counts one failure for the user. */
  run<T>(
    userId: string,
    check: () => Promise<T>,
    isFailure: (error: unknown) => boolean,
  ): Promise<T>
  /**
   * Re-authentication: the signed-in user's password, checked as one counted attempt. Wrong:
   * 403 `password_incorrect` pointing at the body's `field`. Returns the account's email.
   */
  confirmPassword(userId: string, password: string, field: PasswordField): Promise<Account>
  /**
   * The same check, not counted by itself: for a `run` that needs the password and another secret
   * together (a success of one alone must not clear the other's failures).
   */
  checkPassword(userId: string, password: string, field: PasswordField): Promise<Account>
}

type PasswordField = 'currentPassword' | 'password'
type Account = { email: string }

/** Whether `error` carries one of these problem codes. */
export const hasCode =
  (...codes: string[]) =>
  (error: unknown): boolean =>
    codes.includes((error as { code?: unknown }).code as string)

const wrongPassword = hasCode('password_incorrect')

export function createAttemptGuard(store: RateLimitStore, db: AuthDb): AttemptGuard {
  const { threshold, windowSeconds } = store.settings.lockout
  const failures = store.counter('signed-in-failures', { limit: threshold, windowSeconds })
  const guard: AttemptGuard = {
    async run(userId, check, isFailure) {
      const state = await failures.get(userId)
      if (state && state.consumed >= threshold) {
        throw RateLimitErrors.rateLimited(Math.max(1, Math.ceil(state.msBeforeReset / 1000)))
      }
      try {
        const result = await check()
        if (state) await failures.delete(userId)
        return result
      } catch (error) {
        if (isFailure(error)) await failures.consume(userId)
        throw error
      }
    },

    async checkPassword(userId, password, field) {
      const account = await findPasswordHash(db, userId)
      if (!account) throw AuthErrors.userNotFound(userId)
      if (!(await verifyPassword(account.passwordHash, password))) {
        throw AuthErrors.passwordIncorrect(field)
      }
      return { email: account.email }
    },

    confirmPassword(userId, password, field) {
      return guard.run(userId, () => guard.checkPassword(userId, password, field), wrongPassword)
    },
  }
  return guard
}
