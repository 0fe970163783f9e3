import type { ColumnType, Generated } from 'kysely'
import type { AuthTables } from '../core/auth.tables.js'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>

export interface SessionTable {
  id: string
  user_id: string
  user_agent: string | null
  ip: string | null
  created_at: Timestamp
  last_used_at: Timestamp
  expires_at: Timestamp
  revoked_at: NullableTimestamp
  revoked_reason: ColumnType<string | null, string | null | undefined, string | null>
}

export interface RefreshTokenTable {
  /** Hex SHA-256 of the token: the token itself is never stored. */
  token_hash: string
  session_id: string
  created_at: Generated<Date>
  expires_at: Timestamp
  spent_at: NullableTimestamp
}

/** The auth tables plus sessions; still only the auth module's own tables. */
export interface SessionTables extends AuthTables {
  'auth.session': SessionTable
  'auth.refresh_token': RefreshTokenTable
}
