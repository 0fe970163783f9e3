import type { Kysely, Transaction } from 'kysely'
import type { RoutePlugin } from '../../platform/module.js'
import type { AuthDeps } from './auth.settings.js'
import { accountRoutes } from './account.routes.js'
import { createAccountService, type AccountService } from './account.service.js'
import type { AccountDb } from './account.repo.js'
import { revokeUserSessions } from './sessions.repo.js'
import { sessionTrx } from './sessions.service.js'
import { createVerificationService, type VerificationService } from './verification.service.js'

export interface AccountParts {
  verification: VerificationService
  account: AccountService
  routes: RoutePlugin
}

/** Session revocation inside the caller's transaction, tagged with why. */
function revokeAll(reason: string) {
  return (trx: Transaction<unknown>, userId: string) =>
    revokeUserSessions(sessionTrx(trx), userId, reason)
}

/** Account lifecycle (verification, reset, profile, deletion), wired for the auth module. */
export function createAccountParts(deps: AuthDeps, db: Kysely<unknown>): AccountParts {
  const logger = deps.logger.child({ module: 'auth', part: 'account' })
  const accountDb = db as unknown as AccountDb
  const verification = createVerificationService({
    db: accountDb,
    uow: deps.uow,
    logger,
    revokeAllSessions: revokeAll('password_reset'),
  })
  const account = createAccountService({
    db: accountDb,
    uow: deps.uow,
    logger,
    revokeAllSessions: revokeAll('account_deleted'),
  })
  return {
    verification,
    account,
    routes: accountRoutes(verification, account),
  }
}
