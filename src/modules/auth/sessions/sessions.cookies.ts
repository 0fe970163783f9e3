import type { CookieSerializeOptions } from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AuthErrors } from '../core/auth.errors.js'
import type { RefreshTokenDelivery } from './sessions.schema.js'
import type { SessionTokens } from './sessions.service.js'

/**
 * Browser clients may keep the refresh token in this cookie instead of script-readable storage.
 * `__Secure-` makes browsers refuse it from plain-http pages; the path keeps it off every other
 * request.
 */
export const REFRESH_COOKIE = '__Secure-refresh_token'
export const REFRESH_COOKIE_PATH = '/v1/auth'

const COOKIE_OPTIONS: CookieSerializeOptions = {
  httpOnly: true,
  secure: true,
  sameSite: 'strict',
  path: REFRESH_COOKIE_PATH,
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]']

/**
 * The origins a cookie-authenticated request may come from: CORS_ORIGINS and PUBLIC_URL's. A
 * loopback PUBLIC_URL (the default) also trusts the other loopback names on its port, since a
 * developer's browser may open either.
 */
export function trustedOrigins(config: {
  corsOrigins: readonly string[]
  publicUrl: string
}): ReadonlySet<string> {
  const origins = new Set([...config.corsOrigins, config.publicUrl].map((u) => new URL(u).origin))
  const pub = new URL(config.publicUrl)
  if (LOOPBACK.includes(pub.hostname)) {
    for (const host of LOOPBACK) {
      const alias = new URL(pub.origin)
      alias.hostname = host
      origins.add(alias.origin)
    }
  }
  return origins
}

function originOf(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin
  if (origin) return origin
  // Some privacy settings drop Origin but keep a trimmed Referer; its origin is as good.
  const referer = request.headers.referer
  if (!referer) return undefined
  try {
    return new URL(referer).origin
  } catch {
    return undefined
  }
}

/**
 * The refresh token from the cookie, after the CSRF check: a browser attaches the cookie to any
 * request aimed at us, so only a request from one of our own origins may use it. SameSite=Strict
 * already stops cross-site sends; this also covers sibling subdomains and older browsers.
 */
export function refreshTokenFromCookie(
  request: FastifyRequest,
  origins: ReadonlySet<string>,
): string | undefined {
  const token = request.cookies[REFRESH_COOKIE]
  if (!token) return undefined
  const origin = originOf(request)
  if (!origin || !origins.has(origin)) throw AuthErrors.foreignOrigin()
  return token
}

export function clearRefreshCookie(reply: FastifyReply): void {
  reply.clearCookie(REFRESH_COOKIE, COOKIE_OPTIONS)
}

/** The reply body for new tokens; in cookie mode the refresh token goes only in the cookie. */
export function deliverTokens(
  reply: FastifyReply,
  tokens: SessionTokens,
  delivery: RefreshTokenDelivery,
) {
  const { refreshToken, refreshExpiresIn, ...rest } = tokens
  // Credentials in a reply must never be stored by a cache along the way.
  reply.header('cache-control', 'no-store')
  if (delivery === 'body') return { ...rest, refreshToken }
  reply.setCookie(REFRESH_COOKIE, refreshToken, { ...COOKIE_OPTIONS, maxAge: refreshExpiresIn })
  return rest
}
