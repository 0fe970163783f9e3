import type { Kysely } from 'kysely'
import type { RateLimitStore } from '../../../platform/ratelimit/store.js'
import { hashKey, RateLimitErrors } from '../../../platform/ratelimit/http.js'
import type { AuditService } from '../../audit/index.js'
import { normalizeEmail, type AuthService } from './auth.service.js'

/**
 * Temporary lockout after repeated failed sign-ins to one account. After `threshold` failures
 * within the window the account refuses password sign-in for `base` seconds, doubling with each
 * further lock that day, capped at `max` (15 min by default): an attacker can slow a victim down
 * but never lock them out for longer than the cap, and a success clears the record.
 *
 * Keyed by the normalised email whether or not an account exists, so an unknown address locks
 * (and answers) exactly like a real one: the 429 says nothing about the account.
 */
export interface LoginLockout {
  /** Seconds the account stays locked; 0 when it is not. */
  lockedFor(email: string): Promise<number>
  /** Counts a failure; returns the new lock's length when this failure locked the account. */
  failed(email: string): Promise<number>
  succeeded(email: string): Promise<void>
}

const DAY = 24 * 3600

export function createLoginLockout(store: RateLimitStore): LoginLockout {
  const { threshold, windowSeconds, baseSeconds, maxSeconds } = store.settings.lockout
  const failures = store.counter('login-failures', { limit: threshold, windowSeconds })
  const locks = store.counter('login-locks', { limit: Number.MAX_SAFE_INTEGER, windowSeconds: DAY })
  const key = (email: string) => hashKey(normalizeEmail(email))

  return {
    async lockedFor(email) {
      const state = await failures.get(key(email))
      if (!state || state.consumed <= threshold) return 0
      return Math.max(1, Math.ceil(state.msBeforeReset / 1000))
    },
    async failed(email) {
      const k = key(email)
      const state = await failures.consume(k)
      if (state.consumed < threshold) return 0
      const { consumed: lockNumber } = await locks.consume(k)
      const seconds = Math.min(maxSeconds, baseSeconds * 2 ** Math.min(lockNumber - 1, 20))
      await failures.block(k, seconds)
      return seconds
    },
    async succeeded(email) {
      const k = key(email)
      await Promise.all([failures.delete(k), locks.delete(k)])
    },
  }
}

/**
 * The auth service with sign-in protected by the lockout and recorded in the audit log. A lock is
 * checked before the password, so a locked account costs no argon2 work and no timing signal.
 */
export function withLoginProtection(
  service: AuthService,
  deps: { lockout: LoginLockout; audit: AuditService; db: Kysely<unknown> },
): AuthService {
  const { lockout, audit, db } = deps
  return {
    ...service,
    async login(input, client = { ip: null, userAgent: null }) {
      const email = normalizeEmail(input.email)
      const locked = await lockout.lockedFor(email)
      if (locked > 0) throw RateLimitErrors.rateLimited(locked)
      try {
        const result = await service.login(input, client)
        await lockout.succeeded(email)
        await audit.record(db, {
          action: 'auth.login_succeeded',
          actor: { type: 'user', id: result.user.id },
          client,
        })
        return result
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'invalid_credentials') throw error
        const lockedFor = await lockout.failed(email)
        const actor = { type: 'anonymous' as const, id: null }
        await audit.record(db, { action: 'auth.login_failed', actor, client, detail: { email } })
        if (lockedFor > 0) {
          const detail = { email, lockedForSeconds: lockedFor }
          await audit.record(db, { action: 'auth.account_locked', actor, client, detail })
        }
        throw error
      }
    },
  }
}
