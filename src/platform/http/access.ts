import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { AppError } from '../errors.js'

/** Who is calling: produced by the auth module from a bearer credential. */
export interface Principal {
  subject: string
  role: string
  permissions: ReadonlySet<string>
  via: 'access_token' | 'api_key'
  /** The sign-in session an access token belongs to (absent for API keys). */
  sessionId?: string
  /**
   * Set when the credential is valid but its permissions are held back until the caller does
   * something (e.g. enrols a second factor): routes needing a permission answer this error,
   * `authenticated` routes still work.
   */
  withheld?: AppError
}

/**
 * What a route requires. Every `/v1` route declares one (deny by default): the app refuses to
 * boot with a route that does not, and `/v1/admin` routes must name a permission.
 */
export type Access = 'public' | 'authenticated' | { permission: string }

/** Verifies a bearer credential; throws an `unauthenticated` AppError when it is not valid. */
export type Authenticator = (credential: string) => Promise<Principal>

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
    /**
     * The route reads the Authorization header itself (the metrics scrape token): it is not
     * verified as a user's credential, and `principal` stays null.
     */
    ownCredential?: boolean
  }
  interface FastifyRequest {
    principal: Principal | null
  }
}

const unauthenticated = (detail: string, invalidToken: boolean) =>
  new AppError({
    kind: 'unauthenticated',
    code: invalidToken ? 'invalid_token' : 'unauthenticated',
    title: 'Unauthenticated',
    detail,
  })

const forbidden = (permission: string) =>
  new AppError({
    kind: 'forbidden',
    code: 'forbidden',
    title: 'Forbidden',
    detail: `This action needs the ${permission} permission.`,
  })

export function checkRouteDeclaresAccess(route: RouteOptions): void {
  const url = route.url
  if (!url.startsWith('/v1')) return
  const access = route.config?.access
  if (!access) throw new Error(`route ${String(route.method)} ${url} declares no access rule`)
  if (url.startsWith('/v1/admin') && typeof access !== 'object') {
    throw new Error(`admin route ${String(route.method)} ${url} must require a permission`)
  }
}

/**
 * Called when a request's credential is refused, before its 401 is sent: the rate limiter charges
 * the address's anonymous quota there, and throws its 429 instead once that quota is spent.
 */
export type RejectedCredentialHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

const reauthenticators = new WeakMap<FastifyRequest, () => Promise<Principal>>()

/**
 * Whether the request's caller would still be let in now: its credential is verified again (a
 * revoked session, a disabled account or a revoked API key fails). Long-lived replies such as
 * event streams call it as they go. A request without a credential has nothing to lose: true.
 */
export async function credentialStillValid(request: FastifyRequest): Promise<boolean> {
  const again = reauthenticators.get(request)
  if (!again || !request.principal) return true
  try {
    return (await again()).subject === request.principal.subject
  } catch {
    return false
  }
}

/** Reads the bearer credential, then enforces the route's access rule. */
export function registerAccessControl(
  app: FastifyInstance,
  authenticate: Authenticator,
  onRejected: RejectedCredentialHook = async () => {},
): void {
  app.decorateRequest('principal', null)
  app.addHook('onRoute', checkRouteDeclaresAccess)
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    const header = request.headers.authorization
    if (header && !request.routeOptions.config.ownCredential) {
      const match = /^Bearer ([^\s]+)$/i.exec(header)
      if (!match?.[1]) {
        reply.header('www-authenticate', 'Bearer realm="emporium", error="invalid_request"')
        await onRejected(request, reply)
        throw unauthenticated('The Authorization header must be "Bearer <token>".', false)
      }
      try {
        const credential = match[1]
        request.principal = await authenticate(credential)
        reauthenticators.set(request, () => authenticate(credential))
      } catch (error) {
        reply.header('www-authenticate', 'Bearer realm="emporium", error="invalid_token"')
        if (error instanceof AppError && error.kind === 'unauthenticated') {
          await onRejected(request, reply)
        }
        throw error
      }
    }
    const access = request.routeOptions.config.access
    if (!access || access === 'public') return
    if (!request.principal) reply.header('www-authenticate', 'Bearer realm="emporium"')
    assertAccess(request.principal, access)
  })
}

/**
 * Throws unless `principal` may do what `access` requires: `unauthenticated` without one, the
 * withheld error while its permissions are held back, `forbidden` without the permission. The
 * route hook above and the GraphQL resolvers both ask here.
 */
export function assertAccess(principal: Principal | null, access: Access): void {
  if (access === 'public') return
  if (!principal) throw unauthenticated('This operation needs a bearer token.', false)
  if (typeof access !== 'object') return
  if (principal.withheld) throw principal.withheld
  if (!principal.permissions.has(access.permission)) throw forbidden(access.permission)
}

/**
 * A storefront caller: the signed-in customer, if any, and the guest token sent in `header`
 * (a cart's or an order's). Services decide what the pair may see.
 */
export function tokenCallerOf(
  request: FastifyRequest,
  header: string,
): { customerId: string | null; token: string | undefined } {
  const token = request.headers[header]
  return {
    customerId: request.principal?.subject ?? null,
    token: typeof token === 'string' ? token : undefined,
  }
}

/** The signed-in caller, for routes whose access rule guarantees one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated('This endpoint needs a bearer token.', true)
  return request.principal
}
