import type { Transaction } from 'kysely'
import type { Logger } from 'pino'
import { createSecretBox, randomToken, sha256, type SecretKey } from '../../../platform/crypto.js'
import { narrow, type UnitOfWork } from '../../../platform/db/unit-of-work.js'
import type { AuditService } from '../../audit/index.js'
import { hasCode, type AttemptGuard } from '../core/attempts.js'
import { AuthErrors } from '../core/auth.errors.js'
import { findUserById, type AuthDb, type User } from '../core/auth.repo.js'
import type { PublicUser } from '../core/auth.schema.js'
import { toPublicUser } from '../core/auth.mappers.js'
import {
  hashRecoveryCode,
  isTotpCode,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUrl,
  totpStepOf,
} from './mfa.crypto.js'
import { MfaErrors } from './mfa.errors.js'
import { MfaEvents, mfaEvent } from './mfa.events.js'
import {
  claimTotpStep,
  countChallengeFailure,
  countUnusedRecoveryCodes,
  deleteChallenge,
  deleteMfa,
  findTotp,
  insertChallenge,
  isTotpEnabled,
  lockLiveChallenge,
  replaceRecoveryCodes,
  spendRecoveryCode,
  upsertPendingTotp,
  type MfaDb,
} from './mfa.repo.js'
import type { MfaStatus } from './mfa.schema.js'
import type { MfaTables } from './mfa.tables.js'
import type { ClientInfo } from '../sessions/sessions.events.js'
import type { SessionService, SessionTokens } from '../sessions/sessions.service.js'

/** Login's answer when the password was right but a second factor is still owed. */
export interface MfaChallenge {
  mfaRequired: true
  mfaToken: string
  /** For the caller's logs and audit only: never sent before the second factor. */
  user: PublicUser
}

export function isMfaChallenge(value: SessionTokens | MfaChallenge): value is MfaChallenge {
  return 'mfaRequired' in value
}

/** What password (and OIDC) sign-in asks before opening a session. */
export interface MfaGate {
  /** A challenge when the user has a confirmed authenticator, else undefined. */
  challengeFor(user: User): Promise<MfaChallenge | undefined>
  /** Whether the user has a confirmed authenticator. */
  hasSecondFactor(userId: string): Promise<boolean>
}

export interface MfaService extends MfaGate {
  status(userId: string): Promise<MfaStatus>
  /** Starts (or restarts) enrolment with a new secret; pending until confirmed. */
  startTotp(userId: string): Promise<{ secret: string; otpauthUrl: string }>
  /** Confirms with a current code; returns the recovery codes, shown only here. */
  confirmTotp(userId: string, code: string, client: ClientInfo): Promise<string[]>
  /** Needs the password and a current code; both count as failed attempts when wrong. */
  disableTotp(
    userId: string,
    input: { code: string; password: string },
    client: ClientInfo,
  ): Promise<void>
  /** Spends the challenge with a TOTP or recovery code and opens the session. */
  verify(mfaToken: string, code: string, client: ClientInfo): Promise<SessionTokens>
}

export interface MfaServiceDeps {
  db: MfaDb
  uow: UnitOfWork
  sessions: SessionService
  logger: Logger
  /** AES-256 keys for TOTP secrets at rest (the first seals, all open); none: in the clear. */
  encryptionKeys: readonly SecretKey[]
  audit?: AuditService | undefined
  /** Counts wrong codes (and passwords) of signed-in users: 429 after too many. */
  attempts: AttemptGuard
}

const CHALLENGE_TTL_SECONDS = 5 * 60
/** Wrong codes a challenge survives; then the password step must be done again. */
const CHALLENGE_MAX_FAILURES = 5

type VerifyOutcome =
  | { ok: true; userId: string; recoveryCodesLeft: number | undefined }
  | { ok: false; reason: 'token' | 'code' }

export function createMfaService(deps: MfaServiceDeps): MfaService {
  const { db, uow, sessions, logger, audit, attempts } = deps
  const wrongSecret = hasCode('mfa_code_invalid', 'password_incorrect')
  // TOTP secrets sealed at rest, bound to the user id; without a key they are stored `plain.`.
  const box = createSecretBox({
    keys: [...deps.encryptionKeys],
    label: 'mfa',
  })

  async function record(
    trx: Transaction<unknown>,
    action: 'auth.mfa_enabled' | 'auth.mfa_disabled',
    userId: string,
    client: ClientInfo,
  ) {
    await audit?.record(trx, { action, actor: { type: 'user', id: userId }, client })
  }

  /** The step of a valid, unused TOTP code, claimed in `t`; false when it is not one. */
  async function claimTotp(t: MfaDb, userId: string, code: string, confirm: boolean) {
    const totp = await findTotp(t, userId)
    if (!totp || !isTotpCode(code)) return false
    const step = totpStepOf(box.open(userId, totp.secret), code)
    return step !== undefined && claimTotpStep(t, userId, step, { confirm })
  }

  async function checkSecondFactor(t: MfaDb, tokenHash: string, code: string) {
    const challenge = await lockLiveChallenge(t, tokenHash)
    if (!challenge || challenge.attempts >= CHALLENGE_MAX_FAILURES) {
      return { ok: false, reason: 'token' } as const
    }
    const { userId } = challenge
    if (!(await isTotpEnabled(t, userId))) return { ok: false, reason: 'token' } as const
    let recoveryCodesLeft: number | undefined
    let valid = await claimTotp(t, userId, code, false)
    if (!valid && !isTotpCode(code)) {
      valid = await spendRecoveryCode(t, userId, hashRecoveryCode(code))
      if (valid) recoveryCodesLeft = await countUnusedRecoveryCodes(t, userId)
    }
    if (!valid) {
      // Committed even though the caller then fails: the count is what stops guessing.
      await countChallengeFailure(t, tokenHash)
      return { ok: false, reason: 'code' } as const
    }
    await deleteChallenge(t, tokenHash)
    return { ok: true, userId, recoveryCodesLeft } as const
  }

  /** Turns TOTP off when `code` is a current one; the caller checked the password. */
  async function disableWithCode(userId: string, code: string, client: ClientInfo) {
    await uow.run(async (trx, emit) => {
      const t = narrow<MfaTables>(trx)
      if (!(await isTotpEnabled(t, userId))) throw MfaErrors.notEnabled()
      if (!(await claimTotp(t, userId, code, false))) throw MfaErrors.codeInvalid(true)
      await deleteMfa(t, userId)
      emit(mfaEvent(MfaEvents.MFA_DISABLED, { userId, method: 'totp' as const, ...client }))
      await record(trx, 'auth.mfa_disabled', userId, client)
    })
  }

  return {
    hasSecondFactor: (userId) => isTotpEnabled(db, userId),

    async challengeFor(user) {
      if (!(await isTotpEnabled(db, user.id))) return undefined
      const mfaToken = randomToken('mfa_')
      await insertChallenge(db, {
        tokenHash: sha256(mfaToken),
        userId: user.id,
        ttlSeconds: CHALLENGE_TTL_SECONDS,
      })
      logger.info({ userId: user.id }, 'second factor required')
      return { mfaRequired: true, mfaToken, user: toPublicUser(user) }
    },

    async status(userId) {
      const totp = await findTotp(db, userId)
      const state = !totp ? 'disabled' : totp.confirmedAt ? 'enabled' : 'pending'
      const recoveryCodesLeft = state === 'enabled' ? await countUnusedRecoveryCodes(db, userId) : 0
      return { totp: state, recoveryCodesLeft }
    },

    async startTotp(userId) {
      const user = await findUserById(db as unknown as AuthDb, userId)
      if (!user) throw AuthErrors.userNotFound(userId)
      const secret = newTotpSecret()
      if (!(await upsertPendingTotp(db, userId, box.seal(userId, secret)))) {
        throw MfaErrors.alreadyEnabled()
      }
      return { secret, otpauthUrl: otpauthUrl(secret, user.email) }
    },

    async confirmTotp(userId, code, client) {
      const codes = newRecoveryCodes()
      const confirm = () =>
        uow.run(async (trx, emit) => {
          const t = narrow<MfaTables>(trx)
          const totp = await findTotp(t, userId)
          if (!totp) throw MfaErrors.notPending()
          if (totp.confirmedAt) throw MfaErrors.alreadyEnabled()
          if (!(await claimTotp(t, userId, code, true))) throw MfaErrors.codeInvalid(true)
          await replaceRecoveryCodes(t, userId, codes.map(hashRecoveryCode))
          emit(mfaEvent(MfaEvents.MFA_ENABLED, { userId, method: 'totp' as const, ...client }))
          await record(trx, 'auth.mfa_enabled', userId, client)
        })
      await attempts.run(userId, confirm, wrongSecret)
      logger.info({ userId }, 'two-factor enabled')
      return codes
    },

    async disableTotp(userId, { code, password }, client) {
      const disable = async () => {
        // The password first, outside the transaction (slow CPU work).
        await attempts.checkPassword(userId, password, 'password')
        await disableWithCode(userId, code, client)
      }
      await attempts.run(userId, disable, wrongSecret)
      logger.info({ userId }, 'two-factor disabled')
    },

    async verify(mfaToken, code, client) {
      const tokenHash = sha256(mfaToken)
      const outcome: VerifyOutcome = await uow.run(async (trx, emit) => {
        const result = await checkSecondFactor(narrow<MfaTables>(trx), tokenHash, code)
        if (result.ok && result.recoveryCodesLeft !== undefined) {
          const payload = { userId: result.userId, remaining: result.recoveryCodesLeft, ...client }
          emit(mfaEvent(MfaEvents.RECOVERY_CODE_USED, payload))
        }
        return result
      })
      if (!outcome.ok) {
        logger.warn({ reason: outcome.reason, ip: client.ip }, 'second factor refused')
        throw outcome.reason === 'token' ? MfaErrors.tokenInvalid() : MfaErrors.codeInvalid(false)
      }
      const user = await findUserById(db as unknown as AuthDb, outcome.userId)
      if (user?.status !== 'active') throw AuthErrors.accountDisabled()
      return sessions.start(user, client)
    },
  }
}
