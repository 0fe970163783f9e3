import { sql, type Kysely } from 'kysely'
import type { Role } from '../core/permissions.js'
import type { SessionTables } from './sessions.tables.js'

/** Repository functions take `db` or a `trx` first; inside a transaction pass the `trx`. */
export type SessionDb = Kysely<SessionTables>

export interface SessionRecord {
  id: string
  userAgent: string | null
  ip: string | null
  createdAt: Date
  lastUsedAt: Date
  expiresAt: Date
}

export interface NewSessionRow {
  id: string
  userId: string
  userAgent: string | null
  ip: string | null
  ttlDays: number
}

/** What the database knows about a presented refresh token, whatever its state. */
export interface RefreshTokenState {
  sessionId: string
  userId: string
  spent: boolean
  sessionRevoked: boolean
}

// Lifetimes are computed by the database clock, the same clock every expiry check reads.
const expiresIn = (days: number) => sql<Date>`now() + make_interval(days => ${days})`

export async function insertSession(db: SessionDb, row: NewSessionRow): Promise<void> {
  await db
    .insertInto('auth.session')
    .values({
      id: row.id,
      user_id: row.userId,
      user_agent: row.userAgent,
      ip: row.ip,
      expires_at: expiresIn(row.ttlDays),
    })
    .execute()
}

export async function insertRefreshToken(
  db: SessionDb,
  row: { tokenHash: string; sessionId: string; ttlDays: number },
): Promise<void> {
  await db
    .insertInto('auth.refresh_token')
    .values({
      token_hash: row.tokenHash,
      session_id: row.sessionId,
      expires_at: expiresIn(row.ttlDays),
    })
    .execute()
}

/**
 * Marks a live, unexpired token of a live session as spent and names its session. One statement,
 * so of two concurrent callers with the same token exactly one gets a row: on PostgreSQL the
 * second waits for the first's row lock, then re-checks `spent_at is null` and matches nothing.
 */
export async function spendRefreshToken(
  db: SessionDb,
  tokenHash: string,
): Promise<{ sessionId: string; userId: string } | undefined> {
  const row = await db
    .updateTable('auth.refresh_token as rt')
    .from('auth.session as s')
    .set({ spent_at: sql`now()` })
    .whereRef('s.id', '=', 'rt.session_id')
    .where('rt.token_hash', '=', tokenHash)
    .where('rt.spent_at', 'is', null)
    .where('rt.expires_at', '>', sql<Date>`now()`)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .returning(['rt.session_id', 's.user_id'])
    .executeTakeFirst()
  return row ? { sessionId: row.session_id, userId: row.user_id } : undefined
}

export async function findRefreshTokenState(
  db: SessionDb,
  tokenHash: string,
): Promise<RefreshTokenState | undefined> {
  const row = await db
    .selectFrom('auth.refresh_token as rt')
    .innerJoin('auth.session as s', 's.id', 'rt.session_id')
    .select(['rt.session_id', 's.user_id', 'rt.spent_at', 's.revoked_at'])
    .where('rt.token_hash', '=', tokenHash)
    .executeTakeFirst()
  if (!row) return undefined
  return {
    sessionId: row.session_id,
    userId: row.user_id,
    spent: row.spent_at !== null,
    sessionRevoked: row.revoked_at !== null,
  }
}

/** A rotation extends the session: it lives as long as its newest refresh token. */
export async function touchSession(
  db: SessionDb,
  sessionId: string,
  client: { userAgent: string | null; ip: string | null; ttlDays: number },
): Promise<void> {
  await db
    .updateTable('auth.session')
    .set({
      last_used_at: sql`now()`,
      expires_at: expiresIn(client.ttlDays),
      ...(client.userAgent ? { user_agent: client.userAgent } : {}),
      ...(client.ip ? { ip: client.ip } : {}),
    })
    .where('id', '=', sessionId)
    .execute()
}

/** Revokes one session; with `userId`, only if it belongs to that user. True when it was live. */
export async function revokeSession(
  db: SessionDb,
  sessionId: string,
  reason: string,
  userId?: string,
): Promise<boolean> {
  let query = db
    .updateTable('auth.session')
    .set({ revoked_at: sql`now()`, revoked_reason: reason })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
  if (userId !== undefined) query = query.where('user_id', '=', userId)
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Revokes every live session of the user but `exceptSessionId`; returns how many. */
export async function revokeUserSessions(
  db: SessionDb,
  userId: string,
  reason: string,
  exceptSessionId?: string,
): Promise<number> {
  let query = db
    .updateTable('auth.session')
    .set({ revoked_at: sql`now()`, revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
  if (exceptSessionId !== undefined) query = query.where('id', '!=', exceptSessionId)
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Live sessions, newest first (ids are time-ordered); `before` is the keyset cursor. */
export async function listLiveSessions(
  db: SessionDb,
  userId: string,
  page: { limit: number; before?: string | undefined },
): Promise<SessionRecord[]> {
  let query = db
    .selectFrom('auth.session')
    .select(['id', 'user_agent', 'ip', 'created_at', 'last_used_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
  if (page.before !== undefined) query = query.where('id', '<', page.before)
  const rows = await query.orderBy('id', 'desc').limit(page.limit).execute()
  return rows.map((r) => ({
    id: r.id,
    userAgent: r.user_agent,
    ip: r.ip,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
  }))
}

/**
 * The role of the session's user when the session is live and the account active: the one query
 * behind every authenticated request (a primary-key lookup joined to its user).
 */
export async function findLiveSessionRole(
  db: SessionDb,
  sessionId: string,
  userId: string,
): Promise<Role | undefined> {
  const row = await db
    .selectFrom('auth.session as s')
    .innerJoin('auth.user as u', 'u.id', 's.user_id')
    .select('u.role')
    .where('s.id', '=', sessionId)
    .where('s.user_id', '=', userId)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('u.status', '=', 'active')
    .executeTakeFirst()
  return row?.role
}

export async function updatePasswordHash(
  db: SessionDb,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await db
    .updateTable('auth.user')
    .set({ password_hash: passwordHash, updated_at: sql`now()` })
    .where('id', '=', userId)
    .execute()
}
