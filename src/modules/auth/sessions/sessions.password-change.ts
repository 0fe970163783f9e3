import type { Logger } from 'pino'
import { narrow, type UnitOfWork } from '../../../platform/db/unit-of-work.js'
import type { AttemptGuard } from '../core/attempts.js'
import { hasCode } from '../core/attempts.js'
import { AuthErrors } from '../core/auth.errors.js'
import { assertPasswordAllowed } from '../core/password-policy.js'
import { hashPassword, verifyPassword } from '../core/passwords.js'
import { passwordChanged, type ClientInfo } from './sessions.events.js'
import {
  findPasswordHash,
  revokeUserSessions,
  updatePasswordHash,
  type SessionDb,
} from './sessions.repo.js'
import type { ChangePasswordInput } from './sessions.schema.js'
import type { SessionTables } from './sessions.tables.js'

export interface PasswordChangeDeps {
  db: SessionDb
  uow: UnitOfWork
  logger: Logger
  /** Counts wrong current passwords per user (429 after too many). */
  attempts: AttemptGuard
}

/** Who asks for the change: the user and, for an access token, the session that stays signed in. */
export interface PasswordChanger {
  userId: string
  sessionId: string | undefined
  client: ClientInfo
}

export type ChangePassword = (by: PasswordChanger, input: ChangePasswordInput) => Promise<void>

/**
 * Changing the password signs out every other session in the same transaction: whoever may have
 * learnt the old password loses the sessions it opened with it.
 */
export function createChangePassword(deps: PasswordChangeDeps): ChangePassword {
  const { db, uow, logger, attempts } = deps
  return async ({ userId, sessionId, client }, { currentPassword, newPassword }) => {
    const current = await findPasswordHash(db, userId)
    if (!current) throw AuthErrors.userNotFound(userId)
    await attempts.run(
      userId,
      async () => {
        if (!(await verifyPassword(current.passwordHash, currentPassword))) {
          throw AuthErrors.currentPasswordIncorrect()
        }
      },
      hasCode('password_incorrect'),
    )
    assertPasswordAllowed(newPassword, { path: '/body/newPassword', email: current.email })
    // Slow CPU work, done before the transaction holds the connection.
    const newHash = await hashPassword(newPassword)
    const revoked = await uow.run(async (trx, emit) => {
      const t = narrow<SessionTables>(trx)
      await updatePasswordHash(t, userId, newHash)
      const count = await revokeUserSessions(t, userId, 'password_changed', sessionId)
      emit(
        passwordChanged({
          userId,
          sessionId: sessionId ?? null,
          revokedSessions: count,
          ...client,
        }),
      )
      return count
    })
    logger.info({ userId, sessionId, revokedSessions: revoked }, 'password changed')
  }
}
