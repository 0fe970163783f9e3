import type { RateLimitStore } from '../../../platform/ratelimit/store.js'
import { RateLimitErrors } from '../../../platform/ratelimit/http.js'

/**
 * Failed secret checks of a signed-in user (the password to change it or delete the account,
 * TOTP codes to confirm or disable two-factor), counted per user: someone holding a stolen
 * session cannot guess the password or a code faster than `LOGIN_LOCKOUT_THRESHOLD` failures per
 * `LOGIN_LOCKOUT_WINDOW` (5 per 15 minutes by default). Beyond that the checks answer 429 with
 * Retry-After, before any password is verified; a success clears the count.
 */
export interface AttemptGuard {
  /** Runs `check`; a rejection for which `isFailure` holds counts one failure for the user. */
  run<T>(
    userId: string,
    check: () => Promise<T>,
    isFailure: (error: unknown) => boolean,
  ): Promise<T>
}

export function createAttemptGuard(store: RateLimitStore): AttemptGuard {
  const { threshold, windowSeconds } = store.settings.lockout
  const failures = store.counter('signed-in-failures', { limit: threshold, windowSeconds })
  return {
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
  }
}

/** Whether `error` carries one of these problem codes. */
export const hasCode =
  (...codes: string[]) =>
  (error: unknown): boolean =>
    codes.includes((error as { code?: unknown }).code as string)
