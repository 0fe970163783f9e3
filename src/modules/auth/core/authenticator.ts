import type { Authenticator, Principal } from '../../../platform/http/access.js'
import { AuthErrors } from './auth.errors.js'
import { permissionsFor, type Role } from './permissions.js'
import type { TokenService } from './tokens.js'

/**
 * One kind of bearer credential. Extension point: the identity issue adds an `emp_` API key
 * strategy in front of the JWT one.
 */
export interface CredentialStrategy {
  accepts(credential: string): boolean
  authenticate(credential: string): Promise<Principal>
}

/** The user's current role when the session is live and the account active, else undefined. */
export type LiveSessionRole = (sessionId: string, userId: string) => Promise<Role | undefined>

/** Whether the user has a confirmed second factor. */
export type HasSecondFactor = (userId: string) => Promise<boolean>

/**
 * `staffMfa` (REQUIRE_STAFF_MFA): staff and admins without a second factor keep their session
 * (to enrol one) but their permissions are withheld with `mfa_required`.
 */
export function accessTokenStrategy(
  tokens: TokenService,
  liveSessionRole: LiveSessionRole,
  staffMfa?: HasSecondFactor,
): CredentialStrategy {
  return {
    // A JWS in compact form is three base64url segments; anything else is not ours to verify.
    accepts: (credential) => credential.split('.').length === 3,
    async authenticate(credential) {
      const claims = await tokens.verifyAccessToken(credential)
      // A token is only as good as its session: logout, refresh-token reuse and a disabled
      // account end access now, not when the token expires. One primary-key lookup, uncached,
      // so that a revocation holds at once in every process. The role is read fresh too.
      const role = claims.sessionId
        ? await liveSessionRole(claims.sessionId, claims.subject)
        : undefined
      if (!role || !claims.sessionId) throw AuthErrors.invalidToken()
      const owesMfa = staffMfa && role !== 'customer' && !(await staffMfa(claims.subject))
      return {
        ...(owesMfa ? { withheld: AuthErrors.mfaRequired() } : {}),
        subject: claims.subject,
        role,
        permissions: permissionsFor(role),
        via: 'access_token',
        sessionId: claims.sessionId,
      }
    },
  }
}

/** The first strategy that accepts the credential decides; none accepting is an invalid token. */
export function createAuthenticator(strategies: CredentialStrategy[]): Authenticator {
  return async (credential) => {
    const strategy = strategies.find((s) => s.accepts(credential))
    if (!strategy) throw AuthErrors.invalidToken()
    return strategy.authenticate(credential)
  }
}
