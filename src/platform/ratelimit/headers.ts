import type { Quota } from './settings.js'
import type { WindowState } from './store.js'

/** One quota as it stands for this request. */
export interface Usage {
  policy: string
  quota: Quota
  state: WindowState
}

export function remaining(usage: Usage): number {
  return Math.max(0, usage.quota.limit - usage.state.consumed)
}

export function secondsToReset(usage: Usage): number {
  return Math.max(1, Math.ceil(usage.state.msBeforeReset / 1000))
}

export function isExceeded(usage: Usage): boolean {
  return usage.state.consumed > usage.quota.limit
}

/** The quota closest to refusing: the one the `X-RateLimit-*` headers describe. */
export function tightest(usages: Usage[]): Usage | undefined {
  let best: Usage | undefined
  for (const usage of usages) {
    if (
      !best ||
      remaining(usage) < remaining(best) ||
      (remaining(usage) === remaining(best) && secondsToReset(usage) > secondsToReset(best))
    ) {
      best = usage
    }
  }
  return best
}

/**
 * Both header families for every quota counted on the request. The IETF fields follow
 * draft-ietf-httpapi-ratelimit-headers-11 (structured field lists, one item per policy:
 * `RateLimit-Policy: "default";q=300;w=60` and `RateLimit: "default";r=299;t=60`); the
 * `X-RateLimit-*` trio describes the tightest quota, with `X-RateLimit-Reset` in unix seconds.
 */
export function rateLimitHeaders(usages: Usage[], now = Date.now()): Record<string, string> {
  const top = tightest(usages)
  if (!top) return {}
  return {
    'x-ratelimit-limit': String(top.quota.limit),
    'x-ratelimit-remaining': String(remaining(top)),
    'x-ratelimit-reset': String(Math.ceil((now + top.state.msBeforeReset) / 1000)),
    'ratelimit-policy': usages
      .map((u) => `"${u.policy}";q=${u.quota.limit};w=${u.quota.windowSeconds}`)
      .join(', '),
    ratelimit: usages
      .map((u) => `"${u.policy}";r=${remaining(u)};t=${secondsToReset(u)}`)
      .join(', '),
  }
}

/** Seconds until every exceeded quota has room again. */
export function retryAfter(usages: Usage[]): number {
  return Math.max(1, ...usages.filter(isExceeded).map(secondsToReset))
}
