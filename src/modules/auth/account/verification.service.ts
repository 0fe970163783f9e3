import type { Transaction } from 'kysely'
import type { Logger } from 'pino'
import { randomToken, sha256 } from '../../../platform/crypto.js'
import { narrow, type UnitOfWork } from '../../../platform/db/unit-of-work.js'
import { AccountErrors } from './account.errors.js'
import { AccountEvents, accountEvent } from './account.events.js'
import {
  findActiveUserIdByEmail,
  insertAccountToken,
  markEmailVerified,
  peekAccountToken,
  setPasswordHash,
  spendAccountToken,
  spendAllAccountTokens,
  type AccountDb,
} from './account.repo.js'
import { AuthErrors } from '../core/auth.errors.js'
import { findUserById, type AuthDb } from '../core/auth.repo.js'
import { normalizeEmail } from '../core/auth.service.js'
import { assertPasswordAllowed } from '../core/password-policy.js'
import { hashPassword } from '../core/passwords.js'
import type { AccountTables, AccountTokenPurpose } from './verification.tables.js'

export const EMAIL_VERIFICATION_TTL_SECONDS = 24 * 3600
export const PASSWORD_RESET_TTL_SECONDS = 3600

/** Email verification and password reset: single-use, expiring tokens stored as SHA-256. */
export interface VerificationService {
  verifyEmail(token: string): Promise<void>
  /** Mails a new verification link to a signed-in user whose address is not verified yet. */
  resendVerification(userId: string): Promise<void>
  /** Never says whether the account exists: same answer, about the same work. */
  forgotPassword(email: string): Promise<void>
  /** Sets the password and ends every session of the account. */
  resetPassword(token: string, newPassword: string): Promise<void>
  /**
   * A fresh single-use token for the account mail of `purpose`, with where and to whom to send
   * it; null when no mail is due (the account is gone or inactive, or already verified).
   * Called by the mail consumer after the commit, so the raw token never sits in the outbox.
   */
  issueAccountToken(
    userId: string,
    purpose: AccountTokenPurpose,
  ): Promise<IssuedAccountToken | null>
}

/** The part of verification the account mails need (the auth door hands out only this). */
export type AccountTokens = Pick<VerificationService, 'issueAccountToken'>

export interface IssuedAccountToken {
  token: string
  email: string
  name: string
}

export interface VerificationServiceDeps {
  db: AccountDb
  uow: UnitOfWork
  logger: Logger
  /**
   * Ends every session of the user inside the reset's transaction (sessions live in the same
   * module). Returns how many were revoked.
   */
  revokeAllSessions(trx: Transaction<unknown>, userId: string): Promise<number>
  /** argon2id by default; tests count its calls. */
  hashPassword?: (password: string) => Promise<string>
}

/** 256 random bits, base64url: 43 characters. */
export const ACCOUNT_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$'

export function createVerificationService(deps: VerificationServiceDeps): VerificationService {
  const { db, uow, logger } = deps
  const hasher = deps.hashPassword ?? hashPassword
  const TTL_SECONDS: Record<AccountTokenPurpose, number> = {
    email_verification: EMAIL_VERIFICATION_TTL_SECONDS,
    password_reset: PASSWORD_RESET_TTL_SECONDS,
  }

  /**
   * The token is made here, when the mail is about to go, rather than in the request: the raw
   * token then exists only in the mail, never in the outbox. A redelivered event mails a second,
   * equally valid token, which is harmless.
   */
  async function issueAccountToken(
    userId: string,
    purpose: AccountTokenPurpose,
  ): Promise<IssuedAccountToken | null> {
    const user = await findUserById(db as unknown as AuthDb, userId)
    if (!user || user.status !== 'active') return null
    if (purpose === 'email_verification' && user.emailVerifiedAt) return null
    const token = randomToken()
    await insertAccountToken(db, {
      tokenHash: sha256(token),
      userId,
      purpose,
      ttlSeconds: TTL_SECONDS[purpose],
    })
    logger.info({ userId, purpose }, 'account token issued')
    return { token, email: user.email, name: user.name }
  }

  async function spend(token: string, purpose: AccountTokenPurpose, trx: AccountDb) {
    const result = await spendAccountToken(trx, sha256(token), purpose)
    if (result.outcome === 'invalid') throw AccountErrors.tokenInvalid()
    if (result.outcome === 'expired') throw AccountErrors.tokenExpired()
    return result.userId
  }

  return {
    async verifyEmail(token) {
      const userId = await uow.run(async (t, emit) => {
        const trx = narrow<AccountTables>(t)
        const owner = await spend(token, 'email_verification', trx)
        await spendAllAccountTokens(trx, owner, 'email_verification')
        if (await markEmailVerified(trx, owner))
          emit(accountEvent(AccountEvents.EMAIL_VERIFIED, owner))
        return owner
      })
      logger.info({ userId }, 'email verified')
    },

    async resendVerification(userId) {
      const user = await findUserById(db as unknown as AuthDb, userId)
      if (!user) throw AuthErrors.userNotFound(userId)
      if (user.emailVerifiedAt) throw AccountErrors.emailAlreadyVerified()
      await uow.run(async (_trx, emit) => {
        emit(accountEvent(AccountEvents.EMAIL_VERIFICATION_REQUESTED, userId))
      })
    },

    async forgotPassword(email) {
      // Both paths run one transaction with one lookup; the mail work happens later, off the
      // request, so the reply time does not tell a known address from an unknown one.
      await uow.run(async (t, emit) => {
        const userId = await findActiveUserIdByEmail(
          narrow<AccountTables>(t),
          normalizeEmail(email),
        )
        if (userId) emit(accountEvent(AccountEvents.PASSWORD_RESET_REQUESTED, userId))
      })
    },

    async resetPassword(token, newPassword) {
      assertPasswordAllowed(newPassword, { path: '/body/newPassword' })
      // The token first: a made-up one costs no argon2 work (an attacker cannot burn our CPU).
      const state = await peekAccountToken(db, sha256(token), 'password_reset')
      if (state === 'invalid') throw AccountErrors.tokenInvalid()
      if (state === 'expired') throw AccountErrors.tokenExpired()
      // Slow CPU work, done before the transaction holds the connection; the spend re-checks.
      const passwordHash = await hasher(newPassword)
      const { userId, revoked } = await uow.run(async (t, emit) => {
        const trx = narrow<AccountTables>(t)
        const owner = await spend(token, 'password_reset', trx)
        if (!(await setPasswordHash(trx, owner, passwordHash))) throw AccountErrors.tokenInvalid()
        await spendAllAccountTokens(trx, owner, 'password_reset')
        // Reading the mail proved the address is theirs.
        await markEmailVerified(trx, owner)
        const count = await deps.revokeAllSessions(t, owner)
        emit(accountEvent(AccountEvents.PASSWORD_RESET, owner))
        return { userId: owner, revoked: count }
      })
      logger.info({ userId, revokedSessions: revoked }, 'password reset')
    },

    issueAccountToken,
  }
}
