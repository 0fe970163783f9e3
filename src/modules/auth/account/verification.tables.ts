import type { ColumnType } from 'kysely'
import type { AuthTables } from '../core/auth.tables.js'

export type AccountTokenPurpose = 'email_verification' | 'password_reset'

export interface AccountTokenTable {
  token_hash: string
  user_id: string
  purpose: AccountTokenPurpose
  expires_at: ColumnType<Date, Date | string, Date | string>
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
}

/** The auth tables plus the account tokens (email verification, password reset). */
export interface AccountTables extends AuthTables {
  'auth.account_token': AccountTokenTable
}
