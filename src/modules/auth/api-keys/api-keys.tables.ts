import type { ColumnType } from 'kysely'
import type { AuthTables } from '../core/auth.tables.js'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string>

export interface ApiKeyTable {
  id: string
  name: string
  lookup: string
  key_hash: string
  /** jsonb array of permission names. */
  scopes: ColumnType<string[], string, string>
  created_by: string
  created_at: Timestamp
  last_used_at: NullableTimestamp
  revoked_at: NullableTimestamp
}

/** The auth tables plus API keys (the key check joins the creator's account). */
export interface ApiKeyTables extends AuthTables {
  'auth.api_key': ApiKeyTable
}
