import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { RoutePlugin } from '../../../platform/module.js'
import type { AuditService } from '../../audit/index.js'
import type { AuthDeps } from '../auth.settings.js'
import { mfaRoutes } from './mfa.routes.js'
import { createMfaService, type MfaService } from './mfa.service.js'
import type { MfaTables } from './mfa.tables.js'
import type { SessionService } from '../sessions/sessions.service.js'
import type { AttemptGuard } from '../core/attempts.js'

export interface MfaFeature {
  service: MfaService
  routes: RoutePlugin
}

/** TOTP enrolment, recovery codes and the second sign-in step, wired for the auth module. */
export function createMfaFeature(
  deps: AuthDeps & {
    audit: AuditService
    sessions: SessionService
    logger: Logger
    attempts: AttemptGuard
  },
): MfaFeature {
  const service = createMfaService({
    db: deps.database.db as Kysely<MfaTables>,
    uow: deps.uow,
    sessions: deps.sessions,
    logger: deps.logger,
    encryptionKeys: deps.settings.mfaEncryptionKeys,
    audit: deps.audit,
    attempts: deps.attempts,
  })
  return { service, routes: mfaRoutes(service) }
}
