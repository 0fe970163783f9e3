import type { Transaction } from 'kysely'
import type { Logger } from 'pino'
import { narrow, type UnitOfWork } from '../../../platform/db/unit-of-work.js'
import { AccountErrors } from './account.errors.js'
import { AccountEvents, accountEvent } from './account.events.js'
import { anonymiseUser, updateUserName, type AccountDb } from './account.repo.js'
import { AuthErrors } from '../core/auth.errors.js'
import { findUserById, type AuthDb } from '../core/auth.repo.js'
import type { PublicUser } from '../core/auth.schema.js'
import { toPublicUser } from '../core/auth.mappers.js'
import type { AttemptGuard } from '../core/attempts.js'
import type { AccountTables } from './verification.tables.js'

/** The signed-in user's own account: profile changes and deletion. */
export interface AccountService {
  /** Only the name for now: changing the email needs a verified-change flow of its own. */
  updateProfile(userId: string, input: { name: string }): Promise<PublicUser>
  /**
   * Anonymises the account after checking the password: personal fields are replaced, the
   * account is disabled and signed out, and `customer.deleted` tells other modules to forget
   * what they hold. The row stays so orders keep their reference.
   */
  deleteAccount(userId: string, password: string): Promise<void>
}

export interface AccountServiceDeps {
  db: AccountDb
  uow: UnitOfWork
  logger: Logger
  /** Counts wrong passwords per user (429 after too many). */
  attempts: AttemptGuard
  revokeAllSessions(trx: Transaction<unknown>, userId: string): Promise<number>
}

export function createAccountService(deps: AccountServiceDeps): AccountService {
  const { db, uow, logger } = deps
  const authDb = db as unknown as AuthDb

  return {
    async updateProfile(userId, { name }) {
      const user = await uow.run(async (t, emit) => {
        const trx = narrow<AccountTables>(t)
        if (!(await updateUserName(trx, userId, name.trim()))) return undefined
        emit(accountEvent(AccountEvents.CUSTOMER_UPDATED, userId))
        return findUserById(trx as unknown as AuthDb, userId)
      })
      if (!user) throw AuthErrors.userNotFound(userId)
      return toPublicUser(user)
    },

    async deleteAccount(userId, password) {
      await deps.attempts.confirmPassword(userId, password, 'password')
      const user = await findUserById(authDb, userId)
      // Staff accounts are closed by an admin (deactivation), not deleted by themselves.
      if (user?.role !== 'customer') throw AccountErrors.notACustomer()
      const revoked = await uow.run(async (t, emit) => {
        await anonymiseUser(narrow<AccountTables>(t), userId)
        const count = await deps.revokeAllSessions(t, userId)
        emit(accountEvent(AccountEvents.CUSTOMER_DELETED, userId))
        return count
      })
      logger.info({ userId, revokedSessions: revoked }, 'account deleted (anonymised)')
    },
  }
}
