import type { Transaction } from 'kysely'
import type { Logger } from 'pino'
import { randomToken, sha256 } from '../../platform/crypto.js'
import type { UnitOfWork } from '../../platform/db/unit-of-work.js'
import type { DomainEvent } from '../../platform/events/types.js'
import type { Mailer } from '../../platform/mail/mailer.js'
import type { RenderedMail } from '../../platform/mail/layout.js'
import { AccountErrors } from './account.errors.js'
import { AccountEvents, accountEvent } from './account.events.js'
import {
  findActiveUserIdByEmail,
  insertAccountToken,
  markEmailVerified,
  setPasswordHash,
  spendAccountToken,
  spendAllAccountTokens,
  type AccountDb,
} from './account.repo.js'
import { AuthErrors } from './auth.errors.js'
import { findUserById, type AuthDb } from './auth.repo.js'
import { normalizeEmail } from './auth.service.js'
import { assertPasswordAllowed } from './password-policy.js'
import { hashPassword } from './passwords.js'
import {
  passwordResetMail,
  verificationMail,
  welcomeMail,
  type AccountMailLinks,
} from './verification.mails.js'
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
  /** Outbox subscribers: each issues a token and sends its mail (at least once). */
  handlers: {
    onCustomerCreated(event: DomainEvent): Promise<void>
    onVerificationRequested(event: DomainEvent): Promise<void>
    onPasswordResetRequested(event: DomainEvent): Promise<void>
  }
}

export interface VerificationServiceDeps {
  db: AccountDb
  uow: UnitOfWork
  mailer: Mailer
  links: AccountMailLinks
  logger: Logger
  /**
   * Ends every session of the user inside the reset's transaction (sessions live in the same
   * module). Returns how many were revoked.
   */
  revokeAllSessions(trx: Transaction<unknown>, userId: string): Promise<number>
}

/** 256 random bits, base64url: 43 characters. */
export const ACCOUNT_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$'

function accountTrx(trx: Transaction<unknown>): AccountDb {
  return trx as unknown as Transaction<AccountTables>
}

type MailTemplate = (to: { name: string }, token: string, links: AccountMailLinks) => RenderedMail

export function createVerificationService(deps: VerificationServiceDeps): VerificationService {
  const { db, uow, mailer, links, logger } = deps

  /**
   * The token is made here, after the commit, rather than in the request: the raw token then
   * exists only in the mail, never in the outbox. A redelivered event mails a second, equally
   * valid token, which is harmless.
   */
  async function issueAndMail(
    event: DomainEvent,
    purpose: AccountTokenPurpose,
    ttlSeconds: number,
    template: MailTemplate,
  ): Promise<void> {
    const userId = event.aggregateId
    const user = await findUserById(db as unknown as AuthDb, userId)
    if (!user || user.status !== 'active') return
    if (purpose === 'email_verification' && user.emailVerifiedAt) return
    const token = randomToken()
    await insertAccountToken(db, {
      tokenHash: sha256(token),
      userId,
      purpose,
      ttlSeconds,
    })
    const sent = await mailer.send({ to: user.email, ...template(user, token, links) })
    logger.info(
      { userId, purpose, messageId: sent.messageId, eventId: event.id },
      'account mail sent',
    )
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
        const trx = accountTrx(t)
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
        const userId = await findActiveUserIdByEmail(accountTrx(t), normalizeEmail(email))
        if (userId) emit(accountEvent(AccountEvents.PASSWORD_RESET_REQUESTED, userId))
      })
    },

    async resetPassword(token, newPassword) {
      assertPasswordAllowed(newPassword, { path: '/body/newPassword' })
      // Slow CPU work, done before the transaction holds the connection.
      const passwordHash = await hashPassword(newPassword)
      const { userId, revoked } = await uow.run(async (t, emit) => {
        const trx = accountTrx(t)
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

    handlers: {
      onCustomerCreated: (event) =>
        issueAndMail(event, 'email_verification', EMAIL_VERIFICATION_TTL_SECONDS, welcomeMail),
      onVerificationRequested: (event) =>
        issueAndMail(event, 'email_verification', EMAIL_VERIFICATION_TTL_SECONDS, verificationMail),
      onPasswordResetRequested: (event) =>
        issueAndMail(event, 'password_reset', PASSWORD_RESET_TTL_SECONDS, passwordResetMail),
    },
  }
}
