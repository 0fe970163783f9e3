import type { ColumnType, Generated } from 'kysely'
import type { AuthTables } from '../core/auth.tables.js'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>

export interface MfaTotpTable {
  user_id: string
  secret: string
  confirmed_at: NullableTimestamp
  last_used_step: ColumnType<number | null, number | null | undefined, number | null>
  created_at: Timestamp
}

export interface MfaRecoveryCodeTable {
  user_id: string
  code_hash: string
  used_at: NullableTimestamp
  created_at: Timestamp
}

export interface MfaChallengeTable {
  token_hash: string
  user_id: string
  attempts: Generated<number>
  expires_at: ColumnType<Date, Date | string, Date | string>
  created_at: Timestamp
}

/** MFA tables plus the user table they hang off (same module). */
export interface MfaTables extends AuthTables {
  'auth.mfa_totp': MfaTotpTable
  'auth.mfa_recovery_code': MfaRecoveryCodeTable
  'auth.mfa_challenge': MfaChallengeTable
}
