import { sql, type Kysely } from 'kysely'
import type { OidcTables } from './oidc.tables.js'

/** Repository functions take `db` or a `trx` first; inside a transaction pass the `trx`. */
export type OidcDb = Kysely<OidcTables>

export interface PendingLogin {
  nonce: string
  codeVerifier: string
}

export async function insertPendingLogin(
  db: OidcDb,
  row: { stateHash: string; provider: string; nonce: string; codeVerifier: string },
  ttlSeconds: number,
): Promise<void> {
  await db
    .insertInto('auth.oidc_login')
    .values({
      state_hash: row.stateHash,
      provider: row.provider,
      nonce: row.nonce,
      code_verifier: row.codeVerifier,
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
    .returning(['nonce', 'code_verifier'])
    .executeTakeFirst()
  return row ? { nonce: row.nonce, codeVerifier: row.code_verifier } : undefined
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

export async function findUserIdByEmail(db: OidcDb, email: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('auth.user')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst()
  return row?.id
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
