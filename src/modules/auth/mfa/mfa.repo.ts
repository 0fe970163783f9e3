import { sql, type Kysely } from 'kysely'
import type { MfaTables } from './mfa.tables.js'

/** Repository functions take `db` or a `trx` first; inside a transaction pass the `trx`. */
export type MfaDb = Kysely<MfaTables>

export interface TotpRecord {
  secret: string
  confirmedAt: Date | null
  lastUsedStep: number | null
}

export async function findTotp(db: MfaDb, userId: string): Promise<TotpRecord | undefined> {
  const row = await db
    .selectFrom('auth.mfa_totp')
    .select(['secret', 'confirmed_at', 'last_used_step'])
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row
    ? { secret: row.secret, confirmedAt: row.confirmed_at, lastUsedStep: row.last_used_step }
    : undefined
}

export async function isTotpEnabled(db: MfaDb, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('auth.mfa_totp')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst()
  return row !== undefined
}

/** Starts (or restarts) a pending enrolment; false when TOTP is already confirmed. */
export async function upsertPendingTotp(
  db: MfaDb,
  userId: string,
  secret: string,
): Promise<boolean> {
  const row = await db
    .insertInto('auth.mfa_totp')
    .values({ user_id: userId, secret })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet({ secret, last_used_step: null, created_at: sql`now()` })
        .where('auth.mfa_totp.confirmed_at', 'is', null),
    )
    .returning('user_id')
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Records `step` as used, only if it is later than the last one: a code seen once is refused for
 * the rest of its window, even by a concurrent request (the update is the check).
 */
export async function claimTotpStep(
  db: MfaDb,
  userId: string,
  step: number,
  options: { confirm: boolean },
): Promise<boolean> {
  let query = db
    .updateTable('auth.mfa_totp')
    .set({
      last_used_step: step,
      ...(options.confirm ? { confirmed_at: sql<Date>`now()` } : {}),
    })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
  query = options.confirm
    ? query.where('confirmed_at', 'is', null)
    : query.where('confirmed_at', 'is not', null)
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Removes the authenticator, its recovery codes and pending sign-in challenges. */
export async function deleteMfa(db: MfaDb, userId: string): Promise<void> {
  await db.deleteFrom('auth.mfa_challenge').where('user_id', '=', userId).execute()
  await db.deleteFrom('auth.mfa_recovery_code').where('user_id', '=', userId).execute()
  await db.deleteFrom('auth.mfa_totp').where('user_id', '=', userId).execute()
}

export async function replaceRecoveryCodes(
  db: MfaDb,
  userId: string,
  codeHashes: string[],
): Promise<void> {
  await db.deleteFrom('auth.mfa_recovery_code').where('user_id', '=', userId).execute()
  await db
    .insertInto('auth.mfa_recovery_code')
    .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute()
}

/** Spends an unused recovery code; false when it is unknown or already used. */
export async function spendRecoveryCode(
  db: MfaDb,
  userId: string,
  codeHash: string,
): Promise<boolean> {
  const result = await db
    .updateTable('auth.mfa_recovery_code')
    .set({ used_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function countUnusedRecoveryCodes(db: MfaDb, userId: string): Promise<number> {
  const row = await db
    .selectFrom('auth.mfa_recovery_code')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function insertChallenge(
  db: MfaDb,
  row: { tokenHash: string; userId: string; ttlSeconds: number },
): Promise<void> {
  await db
    .insertInto('auth.mfa_challenge')
    .values({
      token_hash: row.tokenHash,
      user_id: row.userId,
      expires_at: sql<Date>`now() + make_interval(secs => ${row.ttlSeconds})`,
    })
    .execute()
}

/** The live challenge, locked for this transaction; expired ones read as absent. */
export async function lockLiveChallenge(
  db: MfaDb,
  tokenHash: string,
): Promise<{ userId: string; attempts: number } | undefined> {
  const row = await db
    .selectFrom('auth.mfa_challenge')
    .select(['user_id', 'attempts'])
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', sql<Date>`now()`)
    .forUpdate()
    .executeTakeFirst()
  return row ? { userId: row.user_id, attempts: row.attempts } : undefined
}

export async function countChallengeFailure(db: MfaDb, tokenHash: string): Promise<void> {
  await db
    .updateTable('auth.mfa_challenge')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('token_hash', '=', tokenHash)
    .execute()
}

export async function deleteChallenge(db: MfaDb, tokenHash: string): Promise<void> {
  await db.deleteFrom('auth.mfa_challenge').where('token_hash', '=', tokenHash).execute()
}
