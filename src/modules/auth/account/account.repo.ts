import { sql, type Kysely } from 'kysely'
import type { AccountTables, AccountTokenPurpose } from './verification.tables.js'

/** Account lifecycle SQL (tokens, profile, anonymisation); `db` or a `trx` first. */
export type AccountDb = Kysely<AccountTables>

export async function insertAccountToken(
  db: AccountDb,
  token: { tokenHash: string; userId: string; purpose: AccountTokenPurpose; ttlSeconds: number },
): Promise<void> {
  await db
    .insertInto('auth.account_token')
    .values({
      token_hash: token.tokenHash,
      user_id: token.userId,
      purpose: token.purpose,
      // The database clock decides expiry, both here and when the token is spent.
      expires_at: sql<Date>`now() + make_interval(secs => ${token.ttlSeconds})`,
    })
    .execute()
}

export type SpendResult =
  { outcome: 'spent'; userId: string } | { outcome: 'invalid' } | { outcome: 'expired' }

/** The token's state without spending it: a cheap check before slow work (the spend re-checks). */
export async function peekAccountToken(
  db: AccountDb,
  tokenHash: string,
  purpose: AccountTokenPurpose,
): Promise<'valid' | 'invalid' | 'expired'> {
  const row = await db
    .selectFrom('auth.account_token')
    .select(['used_at', sql<boolean>`expires_at <= now()`.as('expired')])
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .executeTakeFirst()
  if (!row || row.used_at !== null) return 'invalid'
  return row.expired ? 'expired' : 'valid'
}

/**
 * Spends a token: it must exist for `purpose`, be unused and unexpired. The row lock makes two
 * concurrent uses of one token resolve to one success. Call inside a transaction.
 */
export async function spendAccountToken(
  trx: AccountDb,
  tokenHash: string,
  purpose: AccountTokenPurpose,
): Promise<SpendResult> {
  const row = await trx
    .selectFrom('auth.account_token')
    .select(['user_id', 'used_at', sql<boolean>`expires_at <= now()`.as('expired')])
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .forUpdate()
    .executeTakeFirst()
  if (!row || row.used_at !== null) return { outcome: 'invalid' }
  if (row.expired) return { outcome: 'expired' }
  await trx
    .updateTable('auth.account_token')
    .set({ used_at: sql<Date>`now()` })
    .where('token_hash', '=', tokenHash)
    .execute()
  return { outcome: 'spent', userId: row.user_id }
}

/** Spends every open token of the user for `purpose` (after one of them was used). */
export async function spendAllAccountTokens(
  trx: AccountDb,
  userId: string,
  purpose: AccountTokenPurpose,
): Promise<void> {
  await trx
    .updateTable('auth.account_token')
    .set({ used_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute()
}

/** The id of the active account with this (normalized) email, if any. */
export async function findActiveUserIdByEmail(
  db: AccountDb,
  email: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('auth.user')
    .select('id')
    .where('email', '=', email)
    .where('status', '=', 'active')
    .executeTakeFirst()
  return row?.id
}

/** Returns whether the address was unverified until now. */
export async function markEmailVerified(trx: AccountDb, userId: string): Promise<boolean> {
  const result = await trx
    .updateTable('auth.user')
    .set({ email_verified_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', userId)
    .where('email_verified_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Only an active account takes a new password (a disabled or deleted one stays locked). */
export async function setPasswordHash(
  trx: AccountDb,
  userId: string,
  passwordHash: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('auth.user')
    .set({ password_hash: passwordHash, updated_at: sql<Date>`now()` })
    .where('id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function updateUserName(
  trx: AccountDb,
  userId: string,
  name: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('auth.user')
    .set({ name, updated_at: sql<Date>`now()` })
    .where('id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** What deleting an account leaves in place of the password hash: no password verifies. */
export const DELETED_PASSWORD_HASH = '!deleted'

/**
 * Replaces every personal field and disables the account, keeping the row (and its id) so
 * orders and audit entries keep their reference. The password hash becomes a value no password
 * verifies against, and open mailed tokens are deleted.
 */
export async function anonymiseUser(trx: AccountDb, userId: string): Promise<void> {
  await trx
    .updateTable('auth.user')
    .set({
      email: `deleted+${userId}@invalid`,
      name: 'Deleted user',
      password_hash: DELETED_PASSWORD_HASH,
      status: 'disabled',
      email_verified_at: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', userId)
    .execute()
  await trx.deleteFrom('auth.account_token').where('user_id', '=', userId).execute()
}
