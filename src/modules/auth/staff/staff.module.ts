import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { RoutePlugin } from '../../../platform/module.js'
import type { AuditService } from '../../audit/index.js'
import type { AuthDeps } from '../auth.settings.js'
import type { AccountDb } from '../account/account.repo.js'
import type { AuthTables } from '../core/auth.tables.js'
import { apiKeyRoutes } from '../api-keys/api-keys.routes.js'
import { createApiKeyService } from '../api-keys/api-keys.service.js'
import type { ApiKeyTables } from '../api-keys/api-keys.tables.js'
import type { AuthService } from '../core/auth.service.js'
import type { CredentialStrategy } from '../core/authenticator.js'
import { createLoginLockout, withLoginProtection } from '../core/lockout.js'
import type { SessionService } from '../sessions/sessions.service.js'
import { createCustomerDirectory } from './customers.directory.js'
import { customerRoutes } from './customers.routes.js'
import { staffRoutes } from './staff.routes.js'
import { createStaffService } from './staff.service.js'

/** Staff administration, the customer list, API keys and sign-in protection, wired for the auth module's door. */
export interface StaffFeature {
  routes: RoutePlugin[]
  /** `emp_…` bearer credentials; goes in front of the JWT strategy. */
  apiKeyStrategy: CredentialStrategy
  /** Wraps sign-in with the failed-login lockout and the audit log. */
  protect(service: AuthService): AuthService
}

export function createStaffFeature(
  deps: AuthDeps & { audit: AuditService; sessions: SessionService; logger: Logger },
): StaffFeature {
  const { audit, sessions, logger, uow } = deps
  const db = deps.database.db
  const apiKeys = createApiKeyService({ db: db as Kysely<ApiKeyTables>, uow, audit, logger })
  const staff = createStaffService({ db: db as AccountDb, uow, audit, sessions, logger })
  const lockout = createLoginLockout(deps.rateLimits)
  // Without a mail server, development has no other way to the invite link.
  const exposeInviteToken = !deps.settings.isProduction && !deps.settings.smtpConfigured
  return {
    routes: [
      apiKeyRoutes(apiKeys),
      staffRoutes(staff, exposeInviteToken),
      customerRoutes(createCustomerDirectory(db as Kysely<AuthTables>)),
    ],
    apiKeyStrategy: apiKeys.strategy,
    protect: (service) =>
      withLoginProtection(service, { lockout, audit, db: db as Kysely<unknown> }),
  }
}
