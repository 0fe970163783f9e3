import type { Transaction } from 'kysely'
import type { Logger } from 'pino'
import { randomToken, sha256 } from '../../../platform/crypto.js'
import { CommonErrors } from '../../../platform/errors.js'
import { narrow, type UnitOfWork } from '../../../platform/db/unit-of-work.js'
import { hasPrefix, newId } from '../../../shared/ids.js'
import { AuthErrors } from '../core/auth.errors.js'
import { findUserById, type AuthDb, type User } from '../core/auth.repo.js'
import type { PublicUser } from '../core/auth.schema.js'
import { toPublicUser } from '../core/auth.mappers.js'
import type { Role } from '../core/permissions.js'
import { refreshReuseDetected, type ClientInfo } from './sessions.events.js'
import {
  findLiveSessionRole,
  findRefreshTokenState,
  insertRefreshToken,
  insertSession,
  listLiveSessions,
  revokeSession,
  revokeUserSessions,
  spendRefreshToken,
  touchSession,
  type SessionDb,
  type SessionRecord,
} from './sessions.repo.js'
import {
  REFRESH_TOKEN_PATTERN,
  type SessionView,
  type SessionsPageResult,
} from './sessions.schema.js'
import type { SessionTables } from './sessions.tables.js'
import type { TokenService } from '../core/tokens.js'

export type { ClientInfo } from './sessions.events.js'

/** What a sign-in or a rotation hands the client. */
export interface SessionTokens {
  accessToken: string
  refreshToken: string
  /** Seconds until the access token expires. */
  expiresIn: number
  /** Seconds until the refresh token expires (the cookie's Max-Age). */
  refreshExpiresIn: number
  user: PublicUser
}

/** Sessions: one per sign-in, each a family of single-use refresh tokens. */
export interface SessionService {
  /** Opens a session for a user whose credentials were just checked. */
  start(user: User, client: ClientInfo): Promise<SessionTokens>
  /** Spends the refresh token for a new pair; a spent token revokes its whole session. */
  refresh(refreshToken: string, client: ClientInfo): Promise<SessionTokens>
  /**
   * Signs out: ends the session `refreshToken` belongs to (an unknown token is ignored, so a
   * repeat is harmless), else the caller's current one; with neither it is `no_session`.
   */
  logout(
    refreshToken: string | undefined,
    caller: { subject: string; sessionId?: string } | null,
  ): Promise<void>
  /** Ends one of the user's sessions; another user's id is `session_not_found`. */
  revokeSession(userId: string, sessionId: string): Promise<void>
  /**
   * Ends every session of the user but `exceptSessionId` (logout-all, password reset, staff
   * deactivation); `reason` is recorded on each. Returns how many were live.
   */
  revokeAllSessions(userId: string, exceptSessionId?: string, reason?: string): Promise<number>
  /** The same inside the caller's transaction, so the revocation commits with its cause. */
  revokeAllSessionsIn(trx: Transaction<unknown>, userId: string, reason: string): Promise<number>
  listSessions(
    userId: string,
    currentSessionId: string | undefined,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<SessionsPageResult>
  /** The user's current role when the session is live and the account active, else undefined. */
  liveSessionRole(sessionId: string, userId: string): Promise<Role | undefined>
}

export interface SessionServiceDeps {
  db: SessionDb
  uow: UnitOfWork
  tokens: TokenService
  logger: Logger
  refreshTokenTtlDays: number
}

const USER_AGENT_MAX = 512

function newRefreshToken(): { token: string; hash: string } {
  const token = randomToken('rt_')
  return { token, hash: sha256(token) }
}

const refreshTokenShape = new RegExp(REFRESH_TOKEN_PATTERN)

function normalizeClient(client: ClientInfo): ClientInfo {
  return { ip: client.ip, userAgent: client.userAgent?.slice(0, USER_AGENT_MAX) ?? null }
}

type RotationOutcome =
  | { kind: 'rotated'; user: User; refreshToken: string; sessionId: string }
  | { kind: 'reuse'; sessionId: string; userId: string }
  | { kind: 'invalid' }

/**
 * Spends the token and issues its successor in one transaction. A spent token that comes back
 * revokes its session, and that revocation commits even though the caller then answers 401.
 */
async function rotate(
  uow: UnitOfWork,
  ttlDays: number,
  refreshToken: string,
  client: ClientInfo,
): Promise<RotationOutcome> {
  const tokenHash = sha256(refreshToken)
  return uow.run(async (trx, emit) => {
    const t = narrow<SessionTables>(trx)
    const spent = await spendRefreshToken(t, tokenHash)
    if (!spent) {
      const state = await findRefreshTokenState(t, tokenHash)
      if (!state?.spent || state.sessionRevoked) return { kind: 'invalid' }
      // A spent token came back: whoever holds it now, the family is compromised.
      await revokeSession(t, state.sessionId, 'refresh_token_reuse')
      emit(refreshReuseDetected({ userId: state.userId, sessionId: state.sessionId, ...client }))
      return { kind: 'reuse', sessionId: state.sessionId, userId: state.userId }
    }
    const user = await findUserById(t as unknown as AuthDb, spent.userId)
    // Throwing rolls back the spend: a disabled account keeps nothing but gets nothing either.
    if (user?.status !== 'active') throw AuthErrors.accountDisabled()
    const next = newRefreshToken()
    await insertRefreshToken(t, { tokenHash: next.hash, sessionId: spent.sessionId, ttlDays })
    await touchSession(t, spent.sessionId, { ...client, ttlDays })
    return { kind: 'rotated', user, refreshToken: next.token, sessionId: spent.sessionId }
  })
}

function toSessionView(s: SessionRecord, currentSessionId: string | undefined): SessionView {
  return {
    id: s.id,
    userAgent: s.userAgent,
    ip: s.ip,
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    current: s.id === currentSessionId,
  }
}

export function createSessionService(deps: SessionServiceDeps): SessionService {
  const { db, uow, tokens, logger } = deps
  const ttlDays = deps.refreshTokenTtlDays
  const refreshExpiresIn = ttlDays * 86_400

  // Signing reads the key store through `db`: always after the transaction has committed.
  async function pair(user: User, sessionId: string, refreshToken: string) {
    const issued = await tokens.issueAccessToken({ subject: user.id, role: user.role, sessionId })
    return {
      accessToken: issued.token,
      refreshToken,
      expiresIn: issued.expiresIn,
      refreshExpiresIn,
      user: toPublicUser(user),
    }
  }

  async function revokeOwn(userId: string, sessionId: string): Promise<void> {
    if (!(await revokeSession(db, sessionId, 'logout', userId))) {
      throw AuthErrors.sessionNotFound(sessionId)
    }
    logger.info({ userId, sessionId }, 'session revoked')
  }

  return {
    async start(user, client) {
      const { ip, userAgent } = normalizeClient(client)
      const sessionId = newId('ses')
      const first = newRefreshToken()
      await uow.run(async (trx) => {
        const t = narrow<SessionTables>(trx)
        await insertSession(t, { id: sessionId, userId: user.id, userAgent, ip, ttlDays })
        await insertRefreshToken(t, { tokenHash: first.hash, sessionId, ttlDays })
      })
      logger.info({ userId: user.id, sessionId }, 'session started')
      return pair(user, sessionId, first.token)
    },

    async refresh(refreshToken, client) {
      if (!refreshTokenShape.test(refreshToken)) throw AuthErrors.invalidRefreshToken()
      const outcome = await rotate(uow, ttlDays, refreshToken, normalizeClient(client))
      if (outcome.kind === 'reuse') {
        logger.warn(
          { userId: outcome.userId, sessionId: outcome.sessionId, ip: client.ip },
          'refresh token reuse: session revoked',
        )
      }
      if (outcome.kind !== 'rotated') throw AuthErrors.invalidRefreshToken()
      return pair(outcome.user, outcome.sessionId, outcome.refreshToken)
    },

    async logout(refreshToken, caller) {
      if (refreshToken === undefined) {
        if (!caller?.sessionId) throw AuthErrors.noSession()
        return revokeOwn(caller.subject, caller.sessionId)
      }
      if (!refreshTokenShape.test(refreshToken)) return
      const state = await findRefreshTokenState(db, sha256(refreshToken))
      if (state && (await revokeSession(db, state.sessionId, 'logout'))) {
        logger.info({ userId: state.userId, sessionId: state.sessionId }, 'signed out')
      }
    },

    revokeSession: revokeOwn,

    async revokeAllSessions(userId, exceptSessionId, reason = 'logout_all') {
      const count = await revokeUserSessions(db, userId, reason, exceptSessionId)
      logger.info({ userId, count, kept: exceptSessionId ?? null, reason }, 'sessions revoked')
      return count
    },

    revokeAllSessionsIn: (trx, userId, reason) =>
      revokeUserSessions(narrow<SessionTables>(trx), userId, reason),

    async listSessions(userId, currentSessionId, { limit, cursor }) {
      if (cursor !== undefined && !hasPrefix(cursor, 'ses')) throw CommonErrors.invalidCursor()
      const rows = await listLiveSessions(db, userId, { limit: limit + 1, before: cursor })
      const hasMore = rows.length > limit
      const data = rows.slice(0, limit).map((s) => toSessionView(s, currentSessionId))
      return { data, page: { nextCursor: hasMore ? data.at(-1)!.id : null, hasMore } }
    },

    liveSessionRole: (sessionId, userId) => findLiveSessionRole(db, sessionId, userId),
  }
}
