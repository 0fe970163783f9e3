import type { Kysely } from 'kysely'
import type { RoutePlugin } from '../../../platform/module.js'
import type { AuthDeps } from '../auth.settings.js'
import { accountRoutes } from './account.routes.js'
import { createAccountService, type AccountService } from './account.service.js'
import type { AccountDb } from './account.repo.js'
import type { SessionService } from '../sessions/sessions.service.js'
import type { AttemptGuard } from '../core/attempts.js'
import { createVerificationService, type VerificationService } from './verification.service.js'

export interface AccountFeature {
  verification: VerificationService
  account: AccountService
  routes: RoutePlugin
}

/** Account lifecycle (verification, reset, profile, deletion), wired for the auth module. */
export function createAccountFeature(
  deps: AuthDeps & { sessions: SessionService; attempts: AttemptGuard },
  db: Kysely<unknown>,
): AccountFeature {
  const logger = deps.logger.child({ module: 'auth', part: 'account' })
  const accountDb = db as unknown as AccountDb
  const verification = createVerificationService({
    db: accountDb,
    uow: deps.uow,
    logger,
    revokeAllSessions: (trx, userId) =>
      deps.sessions.revokeAllSessionsIn(trx, userId, 'password_reset'),
  })
  const account = createAccountService({
    db: accountDb,
    uow: deps.uow,
    logger,
    attempts: deps.attempts,
    revokeAllSessions: (trx, userId) =>
      deps.sessions.revokeAllSessionsIn(trx, userId, 'account_deleted'),
  })
  return {
    verification,
    account,
    routes: accountRoutes(verification, account),
  }
}
