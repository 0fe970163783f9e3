import { sql, type Kysely } from 'kysely'
import type { OidcTables } from './oidc.tables.js'

/** Repository functions take `db` or a `trx` first; inside a transaction pass the `trx`. */
export type OidcDb = Kysely<OidcTables>

/** A signed-in user linking a provider account to their own, from this session. */
export interface LinkTarget {
  userId: string
  sessionId: string
}

export interface PendingLogin {
  nonce: string
  codeVerifier: string
  link: LinkTarget | undefined
}

export async function insertPendingLogin(
  db: OidcDb,
  row: {
    stateHash: string
    provider: string
    nonce: string
    codeVerifier: string
    link: LinkTarget | undefined
  },
  ttlSeconds: number,
): Promise<void> {
  await db
    .insertInto('auth.oidc_login')
    .values({
      state_hash: row.stateHash,
      provider: row.provider,
      nonce: row.nonce,
      code_verifier: row.codeVerifier,
      link_user_id: row.link?.userId ?? null,
      link_session_id: row.link?.sessionId ?? null,
      expires_at: sql<Date>`now() + make_interval(secs => ${ttlSeconds})`,
    })
    .execute()
}

/** Spends the pending login for this state and provider; undefined when unknown or expired. */
export async function takePendingLogin(
  db: OidcDb,
  stateHash: string,
  provider: string,
): Promise<PendingLogin | undefined> {
  const row = await db
    .deleteFrom('auth.oidc_login')
    .where('state_hash', '=', stateHash)
    .where('provider', '=', provider)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['nonce', 'code_verifier', 'link_user_id', 'link_session_id'])
    .executeTakeFirst()
  if (!row) return undefined
  const link =
    row.link_user_id && row.link_session_id
      ? { userId: row.link_user_id, sessionId: row.link_session_id }
      : undefined
  return { nonce: row.nonce, codeVerifier: row.code_verifier, link }
}

export async function deleteExpiredLogins(db: OidcDb): Promise<void> {
  await db
    .deleteFrom('auth.oidc_login')
    .where('expires_at', '<=', sql<Date>`now()`)
    .execute()
}

export async function findLinkedUserId(
  db: OidcDb,
  provider: string,
  subject: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('auth.identity')
    .select('user_id')
    .where('provider', '=', provider)
    .where('subject', '=', subject)
    .executeTakeFirst()
  return row?.user_id
}

/** What deciding on an automatic link needs to know about the account holding an email. */
export interface EmailOwner {
  id: string
  role: string
  emailVerified: boolean
}

export async function findUserByEmail(db: OidcDb, email: string): Promise<EmailOwner | undefined> {
  const row = await db
    .selectFrom('auth.user')
    .select(['id', 'role', 'email_verified_at'])
    .where('email', '=', email)
    .executeTakeFirst()
  return row && { id: row.id, role: row.role, emailVerified: row.email_verified_at !== null }
}

export interface IdentityRow {
  provider: string
  email: string | null
  createdAt: Date
}

export async function listIdentities(db: OidcDb, userId: string): Promise<IdentityRow[]> {
  const rows = await db
    .selectFrom('auth.identity')
    .select(['provider', 'email', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('provider')
    .execute()
  return rows.map((r) => ({ provider: r.provider, email: r.email, createdAt: r.created_at }))
}

/** Unlinks every account at this provider from the user; the number removed. */
export async function deleteIdentities(
  db: OidcDb,
  userId: string,
  provider: string,
): Promise<number> {
  const result = await db
    .deleteFrom('auth.identity')
    .where('user_id', '=', userId)
    .where('provider', '=', provider)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function insertIdentity(
  db: OidcDb,
  row: { provider: string; subject: string; userId: string; email: string | null },
): Promise<void> {
  await db
    .insertInto('auth.identity')
    .values({ provider: row.provider, subject: row.subject, user_id: row.userId, email: row.email })
    .onConflict((oc) => oc.columns(['provider', 'subject']).doNothing())
    .execute()
}
