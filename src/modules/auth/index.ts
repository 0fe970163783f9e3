import type { Kysely } from 'kysely'
import type { Authenticator } from '../../platform/http/access.js'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime } from '../../platform/module.js'
import type { AuthDeps } from './auth.settings.js'
import { authRoutes } from './core/auth.routes.js'
import { createAuthService, type AuthService } from './core/auth.service.js'
import type { AuthTables } from './core/auth.tables.js'
import { accessTokenStrategy, createAuthenticator } from './core/authenticator.js'
import { trustedOrigins } from './sessions/sessions.cookies.js'
import * as createAuthTables from './migrations/2026_11_21_0610_create_auth_tables.js'
import * as createSessions from './migrations/2026_11_21_0700_create_sessions.js'
import * as createApiKeys from './migrations/2026_11_21_0725_create_api_keys.js'
import { createStaffFeature } from './staff/staff.module.js'
import type { AuditService } from '../audit/index.js'
import { createChangePassword } from './sessions/sessions.password-change.js'
import { sessionRoutes } from './sessions/sessions.routes.js'
import { createSessionService, type SessionService } from './sessions/sessions.service.js'
import type { SessionTables } from './sessions/sessions.tables.js'
import { createKeyStore, createTokenService } from './core/tokens.js'
import { createAccountFeature } from './account/account.module.js'
import type { AccountTokens } from './account/verification.service.js'
import * as createAccountTokens from './migrations/2026_11_21_0740_create_account_tokens.js'
import * as createMfa from './migrations/2026_11_21_0730_create_mfa.js'
import { createMfaFeature } from './mfa/mfa.module.js'
import * as createIdentities from './migrations/2026_11_21_0735_create_identities.js'
import * as oidcLinkFlow from './migrations/2026_12_05_1430_oidc_link_flow.js'
import { createOidcRoutes } from './oidc/oidc.module.js'
import { createStaffDirectory, type StaffDirectory } from './staff/staff.directory.js'
import { authJobs } from './core/auth.jobs.js'
import { authGraphql } from './auth.graphql.js'
import { createAttemptGuard } from './core/attempts.js'

export const authMigrations: MigrationSet = {
  '2026_11_21_0610_create_auth_tables': createAuthTables,
  '2026_11_21_0700_create_sessions': createSessions,
  '2026_11_21_0725_create_api_keys': createApiKeys,
  '2026_11_21_0730_create_mfa': createMfa,
  '2026_11_21_0735_create_identities': createIdentities,
  '2026_11_21_0740_create_account_tokens': createAccountTokens,
  '2026_12_05_1430_oidc_link_flow': oidcLinkFlow,
}

export interface AuthModule {
  runtime: ModuleRuntime
  service: AuthService
  /** Sign-in sessions: `revokeAllSessions` for password reset, staff deactivation … */
  sessions: SessionService
  /** Turns a bearer credential into a Principal for the HTTP access control. */
  authenticate: Authenticator
  /** Staff and admin addresses, for operational mails sent by other modules. */
  directory: StaffDirectory
  /** Single-use tokens for the account mails, issued when the mail is sent (notifications). */
  accountTokens: AccountTokens
}

export function createAuthModule(deps: AuthDeps & { audit: AuditService }): AuthModule {
  // Auth reads the primary, never a replica: a login right after registering must see the user.
  const db = deps.database.db as Kysely<AuthTables>
  const tokens = createTokenService(
    createKeyStore(db, { encryptionKeys: deps.settings.signingKeyEncryptionKeys }),
  )
  const logger = deps.logger.child({ module: 'auth' })
  const sessionDb = deps.database.db as Kysely<SessionTables>
  const sessions = createSessionService({
    db: sessionDb,
    uow: deps.uow,
    tokens,
    logger,
    refreshTokenTtlDays: deps.settings.refreshTokenTtlDays,
  })
  const admin = createStaffFeature({ ...deps, sessions, logger })
  const attempts = createAttemptGuard(deps.rateLimits, db)
  const mfa = createMfaFeature({ ...deps, sessions, logger, attempts })
  const service = admin.protect(
    createAuthService({ db, uow: deps.uow, tokens, sessions, logger, mfa: mfa.service }),
  )
  const origins = trustedOrigins(deps.settings)
  const changePassword = createChangePassword({ uow: deps.uow, logger, attempts })
  const account = createAccountFeature({ ...deps, sessions, attempts }, deps.database.db)
  const routes = [
    authRoutes(service),
    sessionRoutes({ sessions, changePassword, trustedOrigins: origins }),
    account.routes,
    ...admin.routes,
    mfa.routes,
    createOidcRoutes({ ...deps, sessions, mfa: mfa.service, logger }),
  ]
  return {
    runtime: {
      name: 'auth',
      jobs: authJobs(deps.database.db, logger),
      routes: async (app) => {
        for (const plugin of routes) await plugin(app)
      },
      graphql: [authGraphql({ service, sessions, mfa: mfa.service, rateLimits: deps.rateLimits })],
    },
    service,
    sessions,
    directory: createStaffDirectory(db),
    accountTokens: { issueAccountToken: account.verification.issueAccountToken },
    authenticate: createAuthenticator([
      admin.apiKeyStrategy,
      accessTokenStrategy(
        tokens,
        (sessionId, userId) => sessions.liveSessionRole(sessionId, userId),
        deps.settings.requireStaffMfa ? (userId) => mfa.service.hasSecondFactor(userId) : undefined,
      ),
    ]),
  }
}

export { authTypeDefs } from './auth.graphql.js'
export type { AuthService, CreateUserInput } from './core/auth.service.js'
export type { ClientInfo, SessionService, SessionTokens } from './sessions/sessions.service.js'
export { SessionEvents } from './sessions/sessions.events.js'
export type { LoginResult, PublicUser } from './core/auth.schema.js'
export { AuthErrors, isUserNotFound } from './core/auth.errors.js'
export { AuthJobs } from './core/auth.jobs.js'
export type { StaffDirectory } from './staff/staff.directory.js'
export type { AccountTokens, IssuedAccountToken } from './account/verification.service.js'
export type { AccountTokenPurpose } from './account/verification.tables.js'
export { AuthEvents, type CustomerCreatedPayload } from './core/auth.events.js'
export { AccountEvents, type AccountEventPayload } from './account/account.events.js'
export { assertPasswordAllowed, passwordPolicyError } from './core/password-policy.js'
export {
  PERMISSIONS,
  ROLES,
  ROLE_PERMISSIONS,
  isRole,
  permissionsFor,
  type Permission,
  type Role,
} from './core/permissions.js'
export {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_TTL_SECONDS,
  ACCESS_TOKEN_TYPE,
} from './core/tokens.js'
