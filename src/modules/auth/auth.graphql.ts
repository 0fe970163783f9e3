import type { FastifyReply } from 'fastify'
import type { GraphqlContext } from '../../platform/graphql/context.js'
import type { GraphqlPart } from '../../platform/graphql/plugin.js'
import { clientOf } from '../../platform/http/client.js'
import { accountKey, chargeQuota } from '../../platform/ratelimit/http.js'
import type { QuotaName } from '../../platform/ratelimit/settings.js'
import type { RateLimitStore } from '../../platform/ratelimit/store.js'
import type { LoginPayload, Resolvers } from '../../graphql.types.js'
import { AuthErrors } from './core/auth.errors.js'
import { LoginBody, RegisterBody } from './core/auth.schema.js'
import type { AuthService } from './core/auth.service.js'
import { MfaVerifyBody } from './mfa/mfa.schema.js'
import { isMfaChallenge, type MfaChallenge, type MfaService } from './mfa/mfa.service.js'
import { LogoutBody, RefreshBody } from './sessions/sessions.schema.js'
import type { SessionService, SessionTokens } from './sessions/sessions.service.js'

export const authTypeDefs = /* GraphQL */ `
  extend type Query {
    """
    The signed-in user (REST's \`GET /v1/me\`); null without a user's access token (anonymous, or
    an API key). An invalid or revoked access token is refused like on any operation.
    """
    me: User
  }

  extend type Mutation {
    """
    Creates a customer account (REST's \`POST /v1/auth/register\`); it does not sign in. A taken
    address is \`email_taken\`; a password against the policy is \`validation_failed\`. Limited
    like REST: the \`auth\` quota per address and \`auth-account\` per email (\`rate_limited\`).
    """
    register(email: String!, password: String!, name: String!): User!
    """
    Signs in with email and password (REST's \`POST /v1/auth/login\`): the tokens, or, when the
    account has two-factor on, only \`mfaRequired\` and \`mfaToken\` (then call \`verifyMfa\`). A
    wrong email or password is \`invalid_credentials\`; repeated failures lock the account for a
    while (\`rate_limited\` with \`retryAfter\`); a disabled account is \`account_disabled\`.
    Limited like REST: the \`auth\` quota per address and \`auth-account\` per email.
    """
    login(email: String!, password: String!): LoginPayload!
    """
    The second sign-in step (REST's \`POST /v1/auth/mfa/verify\`): the \`mfaToken\` from \`login\`
    with a 6-digit TOTP code or a recovery code. A wrong code is \`mfa_code_invalid\`; an unknown
    or expired token \`mfa_token_invalid\`. Limited per address (\`auth\`) and per token.
    """
    verifyMfa(mfaToken: String!, code: String!): LoginPayload!
    """
    Trades a refresh token for a new pair (REST's \`POST /v1/auth/refresh\` in body mode; GraphQL
    never uses the cookie). The token is spent: presenting it again is \`invalid_refresh_token\`
    and revokes the whole session.
    """
    refresh(refreshToken: String!): LoginPayload!
    """
    Ends a session (REST's \`POST /v1/auth/logout\`): the refresh token's, else the bearer access
    token's. With neither it is \`unauthenticated\`. An unknown refresh token is ignored. True
    when done.
    """
    logout(refreshToken: String): Boolean!
  }

  """
  customer, staff or admin.
  """
  enum UserRole {
    customer
    staff
    admin
  }

  """
  A user account as its owner sees it.
  """
  type User {
    """
    usr_ prefixed.
    """
    id: ID!
    """
    Lower-cased.
    """
    email: String!
    name: String!
    role: UserRole!
    emailVerified: Boolean!
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  """
  A sign-in's answer (REST's LoginReply or its MFA challenge). Either signed in: \`mfaRequired\`
  is false and \`accessToken\`, \`refreshToken\`, \`expiresIn\` and \`user\` are set; or a second
  factor is owed (\`login\` only): \`mfaRequired\` is true, only \`mfaToken\` is set, and nothing
  about the account is told before the code.
  """
  type LoginPayload {
    mfaRequired: Boolean!
    """
    EdDSA JWT; send as "Authorization: Bearer <token>".
    """
    accessToken: String
    """
    Opaque (rt_…) and single use: trade it with \`refresh\` before it expires.
    """
    refreshToken: String
    """
    Seconds until the access token expires.
    """
    expiresIn: Int
    user: User
    """
    Single use, valid 5 minutes: send it with a code to \`verifyMfa\`.
    """
    mfaToken: String
  }
`

export interface AuthGraphqlDeps {
  /** The protected service: sign-in goes through the lockout and the audit log as in REST. */
  service: AuthService
  sessions: SessionService
  mfa: MfaService
  rateLimits: RateLimitStore
}

/** New tokens as REST's body mode delivers them (the refresh token's lifetime stays inside). */
function signedIn(tokens: SessionTokens, context: GraphqlContext): LoginPayload {
  noStore(context)
  const { accessToken, refreshToken, expiresIn, user } = tokens
  return { mfaRequired: false, accessToken, refreshToken, expiresIn, user, mfaToken: null }
}

function challenged(challenge: MfaChallenge, context: GraphqlContext): LoginPayload {
  noStore(context)
  return {
    mfaRequired: true,
    mfaToken: challenge.mfaToken,
    accessToken: null,
    refreshToken: null,
    expiresIn: null,
    user: null,
  }
}

/** Credentials in a reply must never be stored by a cache along the way (as REST). */
function noStore(context: GraphqlContext): void {
  const reply = context.reply as FastifyReply | undefined
  reply?.header('cache-control', 'no-store')
}

/**
 * Sign-in, registration and sessions over the same service calls as the `/v1/auth` routes, with
 * the same rate limits: REST's route quotas are charged here per operation, so several aliased
 * `login`s in one request count as several attempts.
 */
export function authGraphql(deps: AuthGraphqlDeps): GraphqlPart {
  const { service, sessions, mfa, rateLimits } = deps

  const charge = (context: GraphqlContext, policy: QuotaName, key: string) =>
    chargeQuota(rateLimits, context.request, context.reply as FastifyReply | undefined, policy, key)
  /** REST's order: the per-address quota before validation, the per-account one after it. */
  const perAddress = (context: GraphqlContext) =>
    charge(context, 'auth', `ip:${context.request.ip}`)
  const perAccount = (context: GraphqlContext, value: string) =>
    charge(context, 'auth-account', accountKey(value))

  const resolvers: Resolvers = {
    Query: {
      me: async (_root, _args, context) => {
        const principal = context.principal
        if (!principal || principal.via !== 'access_token') return null
        return service.getMe(principal.subject)
      },
    },
    Mutation: {
      register: async (_root, args, context) => {
        await perAddress(context)
        const input = context.input(RegisterBody, args, '/register')
        await perAccount(context, input.email)
        return service.register(input)
      },
      login: async (_root, args, context) => {
        await perAddress(context)
        const input = context.input(LoginBody, args, '/login')
        await perAccount(context, input.email)
        const outcome = await service.login(input, clientOf(context.request))
        return isMfaChallenge(outcome) ? challenged(outcome, context) : signedIn(outcome, context)
      },
      verifyMfa: async (_root, args, context) => {
        await perAddress(context)
        const { mfaToken, code } = context.input(MfaVerifyBody, args, '/verifyMfa')
        await perAccount(context, mfaToken)
        return signedIn(await mfa.verify(mfaToken, code, clientOf(context.request)), context)
      },
      refresh: async (_root, args, context) => {
        const { refreshToken } = context.input(RefreshBody, args, '/refresh')
        if (!refreshToken) throw AuthErrors.invalidRefreshToken()
        return signedIn(await sessions.refresh(refreshToken, clientOf(context.request)), context)
      },
      logout: async (_root, args, context) => {
        const { refreshToken } = context.input(
          LogoutBody,
          { refreshToken: args.refreshToken ?? undefined },
          '/logout',
        )
        await sessions.logout(refreshToken || undefined, context.principal)
        return true
      },
    },
  }
  return { resolvers: resolvers as GraphqlPart['resolvers'] }
}
