import * as oidc from 'openid-client'
import type { Logger } from 'pino'
import { randomToken, sha256 } from '../../../platform/crypto.js'
import { narrow, type UnitOfWork } from '../../../platform/db/unit-of-work.js'
import { newId } from '../../../shared/ids.js'
import { AuthErrors } from '../core/auth.errors.js'
import { customerCreated } from '../core/auth.events.js'
import {
  findUserById,
  insertUserUnlessEmailTaken,
  type AuthDb,
  type User,
} from '../core/auth.repo.js'
import { normalizeEmail } from '../core/auth.service.js'
import type { MfaChallenge, MfaGate } from '../mfa/mfa.service.js'
import { OidcErrors } from './oidc.errors.js'
import { identityLinked } from './oidc.events.js'
import {
  deleteExpiredLogins,
  deleteIdentities,
  findLinkedUserId,
  findUserByEmail,
  insertIdentity,
  insertPendingLogin,
  listIdentities,
  takePendingLogin,
  type IdentityRow,
  type LinkTarget,
  type OidcDb,
} from './oidc.repo.js'
import type { OidcProviderSettings } from './oidc.settings.js'
import type { OidcTables } from './oidc.tables.js'
import { hashPassword } from '../core/passwords.js'
import type { ClientInfo } from '../sessions/sessions.events.js'
import type { SessionService, SessionTokens } from '../sessions/sessions.service.js'

/** A provider account linked by its signed-in owner (the link flow's callback answer). */
export interface LinkedIdentity {
  identityLinked: true
  provider: string
}

/** The signed-in user who links a provider account to their own, and the session they use. */
export interface Linker {
  userId: string
  sessionId: string
  role: string
}

/** OpenID Connect sign-in: authorization code with PKCE, state and nonce kept server-side. */
export interface OidcService {
  /** The provider's authorization URL for a new sign-in (302 target). */
  start(provider: string): Promise<string>
  /**
   * The provider's authorization URL for linking a provider account to the signed-in user;
   * staff and admins need a second factor on. The callback links instead of signing in.
   */
  startLink(provider: string, by: Linker): Promise<string>
  /** Finishes the sign-in (or link) from the callback's query; MFA users get a challenge. */
  callback(
    provider: string,
    query: URLSearchParams,
    client: ClientInfo,
  ): Promise<SessionTokens | MfaChallenge | LinkedIdentity>
  identities(userId: string): Promise<IdentityRow[]>
  unlink(userId: string, provider: string): Promise<void>
}

export interface OidcServiceDeps {
  db: OidcDb
  uow: UnitOfWork
  sessions: SessionService
  mfa: MfaGate
  logger: Logger
  providers: readonly OidcProviderSettings[]
  /** Our public base URL: callbacks are `<publicUrl>/v1/auth/oidc/<name>/callback`. */
  publicUrl: string
}

/** What we take from the ID token (or, lacking claims there, the UserInfo endpoint). */
interface Profile {
  subject: string
  email: string | undefined
  emailVerified: boolean
  name: string | undefined
}

const LOGIN_TTL_SECONDS = 10 * 60

function discover(settings: OidcProviderSettings): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuer)
  const auth = settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None()
  // Plain http is accepted only because the settings allow it for local providers (tests).
  const execute = issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : []
  return oidc.discovery(issuer, settings.clientId, undefined, auth, { execute })
}

function displayName(profile: Profile): string {
  const name = profile.name?.trim()
  return (name || profile.email?.split('@')[0] || 'Customer').slice(0, 200)
}

export function createOidcService(deps: OidcServiceDeps): OidcService {
  const { db, uow, sessions, mfa, logger } = deps
  const byName = new Map(deps.providers.map((p) => [p.name, p]))
  const configs = new Map<string, Promise<oidc.Configuration>>()

  function providerOf(name: string): OidcProviderSettings {
    const settings = byName.get(name)
    if (!settings) throw OidcErrors.providerNotFound(name)
    return settings
  }

  /** Discovery once per provider and process; a failure is not cached. */
  async function configOf(settings: OidcProviderSettings): Promise<oidc.Configuration> {
    let config = configs.get(settings.name)
    if (!config) {
      config = discover(settings)
      configs.set(settings.name, config)
    }
    try {
      return await config
    } catch (error) {
      if (configs.get(settings.name) === config) configs.delete(settings.name)
      logger.error({ err: error, provider: settings.name }, 'oidc discovery failed')
      throw OidcErrors.providerUnavailable(settings.name)
    }
  }

  const redirectUri = (name: string) => `${deps.publicUrl}/v1/auth/oidc/${name}/callback`

  async function exchange(
    settings: OidcProviderSettings,
    query: URLSearchParams,
  ): Promise<{ profile: Profile; link: LinkTarget | undefined }> {
    const state = query.get('state')
    if (!state) throw OidcErrors.stateInvalid()
    const pending = await takePendingLogin(db, sha256(state), settings.name)
    if (!pending) throw OidcErrors.stateInvalid()
    const config = await configOf(settings)
    const callbackUrl = new URL(`${redirectUri(settings.name)}?${query.toString()}`)
    try {
      const tokens = await oidc.authorizationCodeGrant(
        config,
        callbackUrl,
        {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        },
        { redirect_uri: redirectUri(settings.name) },
      )
      const claims = tokens.claims()!
      let source: Record<string, unknown> = claims
      if (typeof claims.email !== 'string') {
        source = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)
      }
      const profile = {
        subject: claims.sub,
        email: typeof source.email === 'string' ? normalizeEmail(source.email) : undefined,
        emailVerified: source.email_verified === true,
        name: typeof source.name === 'string' ? source.name : undefined,
      }
      return { profile, link: pending.link }
    } catch (error) {
      logger.warn(
        { provider: settings.name, reason: (error as Error).message },
        'oidc sign-in refused',
      )
      throw OidcErrors.loginFailed()
    }
  }

  /**
   * The linked user; else, by the provider's verified email, a customer whose address we verified
   * too (linked now) or a new customer. An unverified account, or a staff or admin one, is never
   * linked here: whoever registered it may not own the address, and staff link while signed in.
   */
  async function resolveUser(provider: string, profile: Profile): Promise<string> {
    const linked = await findLinkedUserId(db, provider, profile.subject)
    if (linked) return linked
    const { email } = profile
    if (!email || !profile.emailVerified) throw OidcErrors.emailUnverified()
    // Hashed outside the transaction (slow CPU work); no password is known for this account.
    const passwordHash = await hashPassword(randomToken())
    return uow.run(async (trx, emit) => {
      const t = narrow<OidcTables>(trx)
      const existing = await findUserByEmail(t, email)
      if (existing && existing.role !== 'customer') throw OidcErrors.accountLinkRequired()
      if (existing && !existing.emailVerified) throw OidcErrors.accountExistsUnverified()
      const name = displayName(profile)
      const userId =
        existing?.id ??
        (
          await insertUserUnlessEmailTaken(t as unknown as AuthDb, {
            id: newId('usr'),
            email,
            name,
            role: 'customer',
            passwordHash,
            emailVerified: true,
          })
        )?.id
      if (!userId) throw AuthErrors.emailTaken()
      await insertIdentity(t, { provider, subject: profile.subject, userId, email })
      if (!existing) emit(customerCreated({ userId, email, name }))
      emit(identityLinked({ userId, provider, created: !existing }))
      return userId
    })
  }

  /** Links the provider account to the user who started the link, if their session still lives. */
  async function linkTo(provider: string, profile: Profile, link: LinkTarget) {
    if (!(await sessions.liveSessionRole(link.sessionId, link.userId))) {
      throw OidcErrors.linkSessionEnded()
    }
    const { userId } = link
    await uow.run(async (trx, emit) => {
      const t = narrow<OidcTables>(trx)
      const owner = await findLinkedUserId(t, provider, profile.subject)
      if (owner && owner !== userId) throw OidcErrors.identityLinkedElsewhere()
      if (owner) return
      const email = profile.email ?? null
      await insertIdentity(t, { provider, subject: profile.subject, userId, email })
      emit(identityLinked({ userId, provider, created: false }))
    })
    logger.info({ userId, provider }, 'oidc identity linked by its owner')
    return { identityLinked: true as const, provider }
  }

  async function authorizationUrl(name: string, link: LinkTarget | undefined): Promise<string> {
    const settings = providerOf(name)
    const config = await configOf(settings)
    const state = oidc.randomState()
    const nonce = oidc.randomNonce()
    const codeVerifier = oidc.randomPKCECodeVerifier()
    await deleteExpiredLogins(db)
    await insertPendingLogin(
      db,
      { stateHash: sha256(state), provider: name, nonce, codeVerifier, link },
      LOGIN_TTL_SECONDS,
    )
    return oidc
      .buildAuthorizationUrl(config, {
        redirect_uri: redirectUri(name),
        scope: settings.scope,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      })
      .toString()
  }

  return {
    start: (name) => authorizationUrl(name, undefined),

    async startLink(name, { userId, sessionId, role }) {
      providerOf(name)
      if (role !== 'customer' && !(await mfa.hasSecondFactor(userId))) {
        throw AuthErrors.mfaRequired()
      }
      return authorizationUrl(name, { userId, sessionId })
    },

    async callback(name, query, client) {
      const settings = providerOf(name)
      const { profile, link } = await exchange(settings, query)
      if (link) return linkTo(name, profile, link)
      const userId = await resolveUser(name, profile)
      const user: User | undefined = await findUserById(db as unknown as AuthDb, userId)
      if (user?.status !== 'active') throw AuthErrors.accountDisabled()
      logger.info({ userId, provider: name }, 'signed in with oidc')
      return (await mfa.challengeFor(user)) ?? sessions.start(user, client)
    },

    identities: (userId) => listIdentities(db, userId),

    async unlink(userId, provider) {
      if ((await deleteIdentities(db, userId, provider)) === 0) {
        throw OidcErrors.identityNotFound(provider)
      }
      logger.info({ userId, provider }, 'oidc identity unlinked')
    },
  }
}
