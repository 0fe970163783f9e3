/** A quota: at most `limit` requests per fixed window of `windowSeconds`. */
export interface Quota {
  readonly limit: number
  readonly windowSeconds: number
}

/** Failed logins per account before a temporary lock, and how long that lock lasts. */
export interface LockoutSettings {
  /** Failures within `windowSeconds` that lock the account. */
  readonly threshold: number
  readonly windowSeconds: number
  /** The first lock; each further lock within a day doubles it, up to `maxSeconds`. */
  readonly baseSeconds: number
  readonly maxSeconds: number
}

/**
 * Every limit in one place. Named quotas are the `policy` names routes refer to and the names
 * clients see in `RateLimit-Policy`.
 */
export interface RateLimitSettings {
  readonly enabled: boolean
  /** Prefix of every Redis key, so several stores (or test runs) can share one Redis. */
  readonly keyPrefix: string
  readonly quotas: Readonly<Record<QuotaName, Quota>>
  readonly lockout: LockoutSettings
}

/**
 * `default`: anonymous callers, per IP. `user`: signed-in callers, per principal. `auth`: the
 * credential endpoints (login, register, forgot-password, MFA verify), per IP. `auth-account`: the
 * same endpoints, per account named in the body. `reviews`: writing reviews and votes, per principal.
 */
export const QUOTA_NAMES = ['default', 'user', 'auth', 'auth-account', 'reviews'] as const
export type QuotaName = (typeof QUOTA_NAMES)[number]

const QUOTA_ENV: Record<QuotaName, { variable: string; fallback: Quota }> = {
  default: { variable: 'RATE_LIMIT_DEFAULT', fallback: { limit: 300, windowSeconds: 60 } },
  user: { variable: 'RATE_LIMIT_USER', fallback: { limit: 1200, windowSeconds: 60 } },
  auth: { variable: 'RATE_LIMIT_AUTH', fallback: { limit: 30, windowSeconds: 60 } },
  'auth-account': {
    variable: 'RATE_LIMIT_AUTH_ACCOUNT',
    fallback: { limit: 10, windowSeconds: 60 },
  },
  reviews: { variable: 'RATE_LIMIT_REVIEWS', fallback: { limit: 20, windowSeconds: 3600 } },
}

type Env = Record<string, string | undefined>
type Fail = (variable: string, problem: string) => Error

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

function quota(env: Env, name: string, fallback: Quota, fail: Fail): Quota {
  const raw = read(env, name)
  if (raw === undefined) return fallback
  const match = /^(\d{1,9})\/(\d{1,6})$/.exec(raw)
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    throw fail(name, `must be "<requests>/<seconds>" such as 300/60 (got "${raw}")`)
  }
  return { limit: Number(match[1]), windowSeconds: Number(match[2]) }
}

function seconds(env: Env, name: string, fallback: number, fail: Fail): number {
  const raw = read(env, name)
  if (raw === undefined) return fallback
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) {
    throw fail(name, `must be a positive whole number (got "${raw}")`)
  }
  return Number(raw)
}

/** Reads RATE_LIMIT_* and LOGIN_LOCKOUT_* (documented in the README). */
export function readRateLimitSettings(env: Env, fail: Fail): RateLimitSettings {
  const enabledRaw = read(env, 'RATE_LIMIT_ENABLED')?.toLowerCase() ?? 'true'
  if (!['true', 'false', '1', '0'].includes(enabledRaw)) {
    throw fail('RATE_LIMIT_ENABLED', `must be true or false (got "${enabledRaw}")`)
  }
  const quotas = Object.fromEntries(
    QUOTA_NAMES.map((n) => [n, quota(env, QUOTA_ENV[n].variable, QUOTA_ENV[n].fallback, fail)]),
  ) as Record<QuotaName, Quota>
  const lockout: LockoutSettings = {
    threshold: seconds(env, 'LOGIN_LOCKOUT_THRESHOLD', 5, fail),
    windowSeconds: seconds(env, 'LOGIN_LOCKOUT_WINDOW', 15 * 60, fail),
    baseSeconds: seconds(env, 'LOGIN_LOCKOUT_BASE', 60, fail),
    maxSeconds: seconds(env, 'LOGIN_LOCKOUT_MAX', 15 * 60, fail),
  }
  if (lockout.baseSeconds > lockout.maxSeconds) {
    throw fail('LOGIN_LOCKOUT_BASE', 'must not exceed LOGIN_LOCKOUT_MAX')
  }
  const keyPrefix = read(env, 'RATE_LIMIT_PREFIX') ?? 'emporium:rl'
  if (!/^[\w:.-]{1,100}$/.test(keyPrefix)) {
    throw fail('RATE_LIMIT_PREFIX', 'may hold letters, digits and _ : . - (at most 100)')
  }
  return Object.freeze({
    enabled: enabledRaw === 'true' || enabledRaw === '1',
    keyPrefix,
    quotas: Object.freeze(quotas),
    lockout: Object.freeze(lockout),
  })
}
