import { mailBrand } from '../../../platform/mail/layout.js'
import type { Kysely } from 'kysely'
import type { RoutePlugin, Subscription } from '../../../platform/module.js'
import type { ModuleDeps } from '../../index.js'
import { accountRoutes } from './account.routes.js'
import { createAccountService, type AccountService } from './account.service.js'
import type { AccountDb } from './account.repo.js'
import { AccountEvents } from './account.events.js'
import { AuthEvents } from '../core/auth.events.js'
import type { SessionService } from '../sessions/sessions.service.js'
import { createVerificationService, type VerificationService } from './verification.service.js'

export interface AccountFeature {
  verification: VerificationService
  account: AccountService
  routes: RoutePlugin
  subscriptions: Subscription[]
}

/** Account lifecycle (verification, reset, profile, deletion), wired for the auth module. */
export function createAccountFeature(
  deps: ModuleDeps & { sessions: SessionService },
  db: Kysely<unknown>,
): AccountFeature {
  const logger = deps.logger.child({ module: 'auth', part: 'account' })
  const accountDb = db as unknown as AccountDb
  const verification = createVerificationService({
    db: accountDb,
    uow: deps.uow,
    mailer: deps.mailer,
    links: { storefrontUrl: deps.config.storefrontUrl, brand: mailBrand(deps.config.mailFrom) },
    logger,
    revokeAllSessions: (trx, userId) =>
      deps.sessions.revokeAllSessionsIn(trx, userId, 'password_reset'),
  })
  const account = createAccountService({
    db: accountDb,
    uow: deps.uow,
    logger,
    revokeAllSessions: (trx, userId) =>
      deps.sessions.revokeAllSessionsIn(trx, userId, 'account_deleted'),
  })
  const { handlers } = verification
  return {
    verification,
    account,
    routes: accountRoutes(verification, account),
    subscriptions: [
      {
        type: AuthEvents.CUSTOMER_CREATED,
        consumer: 'auth.welcome-mail',
        handler: handlers.onCustomerCreated,
      },
      {
        type: AccountEvents.EMAIL_VERIFICATION_REQUESTED,
        consumer: 'auth.verification-mail',
        handler: handlers.onVerificationRequested,
      },
      {
        type: AccountEvents.PASSWORD_RESET_REQUESTED,
        consumer: 'auth.password-reset-mail',
        handler: handlers.onPasswordResetRequested,
      },
    ],
  }
}
