import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'
import { isExceeded, rateLimitHeaders, retryAfter, type Usage } from './headers.js'
import type { QuotaName } from './settings.js'
import type { RateLimitStore } from './store.js'

/**
 * A route's own limit, as `config: { rateLimit: { … } }`. Without one a route counts against
 * `default` per IP (anonymous) or `user` per principal (signed in); `rateLimit: false` exempts it.
 */
export interface RouteRateLimit {
  /** Counted per client IP, signed in or not, instead of `default`/`user`. */
  quota?: QuotaName
  /**
   * Also counted per account: the body field that names it (an email, an MFA token). The value is
   * hashed before it becomes a key, so Redis never holds addresses.
   */
  accountField?: string
  /** The per-account quota; `auth-account` unless given. */
  accountQuota?: QuotaName
  /** Also counted per signed-in principal, on top of `user` (writes a person may not flood). */
  principalQuota?: QuotaName
  /**
   * The route carries several operations per request (MCP's JSON-RPC messages): its handler
   * charges each with {@link chargeCaller}, and the hooks count nothing (a refused credential
   * still counts against `default`).
   */
  perOperation?: boolean
}

/**
 * For login, register, forgot-password and the like: the strict `auth` quota per IP plus
 * `auth-account` per email. MFA verify uses `{ quota: 'auth', accountField: 'mfaToken' }`.
 */
export const CREDENTIAL_LIMIT: RouteRateLimit = Object.freeze({
  quota: 'auth',
  accountField: 'email',
})

declare module 'fastify' {
  interface FastifyContextConfig {
    rateLimit?: RouteRateLimit | false
  }
}

// Probes from load balancers and scrapers come fast from one address and must never be refused.
const EXEMPT = new Set(['/livez', '/readyz', '/metrics'])

/** The quotas counted on a request so far, by policy and key (a later count replaces its own). */
const usagesOf = new WeakMap<FastifyRequest, Map<string, Usage>>()

export const RateLimitErrors = {
  rateLimited: (seconds: number) =>
    new AppError({
      kind: 'rate_limited',
      code: 'rate_limited',
      title: 'Too many requests',
      detail: `Too many requests; retry in ${seconds} s.`,
      extra: { retryAfter: seconds },
    }),
}

function routeLimit(request: FastifyRequest): RouteRateLimit | false {
  const url = request.routeOptions.url
  if (url && EXEMPT.has(url)) return false
  return request.routeOptions.config.rateLimit ?? {}
}

export function hashKey(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 32)
}

async function count(
  store: RateLimitStore,
  request: FastifyRequest,
  reply: FastifyReply | undefined,
  policy: QuotaName,
  key: string,
): Promise<void> {
  const quota = store.settings.quotas[policy]
  const state = await store.counter(policy, quota).consume(key)
  const counted = usagesOf.get(request) ?? new Map<string, Usage>()
  counted.set(`${policy}\u0000${key}`, { policy, quota, state })
  usagesOf.set(request, counted)
  const usages = [...counted.values()]
  reply?.headers(rateLimitHeaders(usages))
  const exceeded = usages.find(isExceeded)
  if (exceeded) {
    store.rejected(exceeded.policy)
    const seconds = retryAfter(usages)
    reply?.header('retry-after', String(seconds))
    throw RateLimitErrors.rateLimited(seconds)
  }
}

/**
 * Charges one named quota from inside a handler that is not a route of its own, such as a
 * GraphQL resolver: `key` is `ip:<address>` for per-IP quotas or {@link accountKey} for
 * per-account ones. Same counters, headers and `rate_limited` error as the route limits; nothing
 * when rate limiting is off. `reply` is absent over a WebSocket (no headers to set).
 */
export async function chargeQuota(
  store: RateLimitStore,
  request: FastifyRequest,
  reply: FastifyReply | undefined,
  policy: QuotaName,
  key: string,
): Promise<void> {
  if (!store.settings.enabled) return
  await count(store, request, reply, policy, key)
}

/**
 * Charges one request's worth of the caller's usual quota, as the hooks charge a route with no
 * quota of its own: `user` per principal when signed in, else `default` per IP.
 */
export async function chargeCaller(
  store: RateLimitStore,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  if (!store.settings.enabled) return
  if (request.principal) {
    return count(store, request, reply, 'user', `sub:${request.principal.subject}`)
  }
  return count(store, request, reply, 'default', `ip:${request.ip}`)
}

/** The per-account key of a body value (an email, an MFA token), hashed as the routes hash it. */
export function accountKey(value: string): string {
  return `acct:${hashKey(value.trim().toLowerCase())}`
}

/**
 * For the access control's `onRejected`: a request whose credential is refused counts against its
 * address's anonymous quota (`default`), as if it had sent none, so guessing or replaying bogus
 * tokens is limited like any anonymous traffic; once that quota is spent it is a 429, not a 401.
 * Routes with a per-IP quota of their own were already counted; exempt routes are not.
 */
export function chargeRejectedCredential(store: RateLimitStore) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!store.settings.enabled) return
    const limit = routeLimit(request)
    if (limit === false || limit.quota) return
    await count(store, request, reply, 'default', `ip:${request.ip}`)
  }
}

/**
 * Call before the access control: anonymous callers and per-IP route quotas are counted before
 * any credential is checked, signed-in callers after it (per principal, so one NAT address does
 * not throttle a whole office), and per-account quotas once the body is validated.
 */
export function registerRateLimiting(app: FastifyInstance, store: RateLimitStore): void {
  if (!store.settings.enabled) return
  app.addHook('onRequest', async (request, reply) => {
    const limit = routeLimit(request)
    if (limit === false || limit.perOperation) return
    if (limit.quota) return count(store, request, reply, limit.quota, `ip:${request.ip}`)
    if (!request.headers.authorization) {
      return count(store, request, reply, 'default', `ip:${request.ip}`)
    }
  })
  // preParsing runs after every onRequest hook, so the access control has set the principal.
  app.addHook('preParsing', async (request, reply, payload) => {
    const limit = routeLimit(request)
    if (limit !== false && !limit.quota && !limit.perOperation && request.principal) {
      await count(store, request, reply, 'user', `sub:${request.principal.subject}`)
    }
    if (limit !== false && limit.principalQuota && request.principal) {
      const key = `sub:${request.principal.subject}`
      await count(store, request, reply, limit.principalQuota, key)
    }
    return payload
  })
  app.addHook('preHandler', async (request, reply) => {
    const limit = routeLimit(request)
    if (limit === false || !limit.accountField) return
    const value = (request.body as Record<string, unknown> | undefined)?.[limit.accountField]
    if (typeof value !== 'string') return
    await count(store, request, reply, limit.accountQuota ?? 'auth-account', accountKey(value))
  })
}
