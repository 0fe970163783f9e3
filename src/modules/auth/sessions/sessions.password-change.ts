import type { Logger } from 'pino'
import { narrow, type UnitOfWork } from '../../../platform/db/unit-of-work.js'
import type { AttemptGuard } from '../core/attempts.js'
import { assertPasswordAllowed } from '../core/password-policy.js'
import { hashPassword } from '../core/passwords.js'
import { passwordChanged, type ClientInfo } from './sessions.events.js'
import { revokeUserSessions, updatePasswordHash } from './sessions.repo.js'
import type { ChangePasswordInput } from './sessions.schema.js'
import type { SessionTables } from './sessions.tables.js'

export interface PasswordChangeDeps {
  uow: UnitOfWork
  logger: Logger
  /** Checks the current password, counting wrong ones per user (429 after too many). */
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
  const { uow, logger, attempts } = deps
  return async ({ userId, sessionId, client }, { currentPassword, newPassword }) => {
    const { email } = await attempts.confirmPassword(userId, currentPassword, 'currentPassword')
    assertPasswordAllowed(newPassword, { path: '/body/newPassword', email })
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
