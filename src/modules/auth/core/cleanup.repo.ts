import { sql, type Kysely } from 'kysely'

export interface SpentTokenCounts {
  sessions: number
  refreshTokens: number
  accountTokens: number
  mfaChallenges: number
  oidcLogins: number
}

async function count(db: Kysely<unknown>, statement: ReturnType<typeof sql>): Promise<number> {
  const result = await statement.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/**
 * Deletes what can no longer be used. Refresh tokens go once expired, not once spent: a spent
 * token of a live session is what recognises reuse (and revokes the family). Sessions go a day
 * after they expired or were revoked, with their remaining tokens (cascade).
 */
export async function deleteSpentTokens(db: Kysely<unknown>): Promise<SpentTokenCounts> {
  const sessions = await count(
    db,
    sql`delete from auth.session where expires_at < now() - interval '1 day'
      or revoked_at < now() - interval '1 day'`,
  )
  const refreshTokens = await count(
    db,
    sql`delete from auth.refresh_token where expires_at < now()`,
  )
  const accountTokens = await count(
    db,
    sql`delete from auth.account_token where used_at is not null or expires_at < now()`,
  )
  const mfaChallenges = await count(
    db,
    sql`delete from auth.mfa_challenge where expires_at < now()`,
  )
  const oidcLogins = await count(db, sql`delete from auth.oidc_login where expires_at <= now()`)
  return { sessions, refreshTokens, accountTokens, mfaChallenges, oidcLogins }
}
