import type { ColumnType } from 'kysely'
import type { AuthTables } from '../core/auth.tables.js'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface IdentityTable {
  provider: string
  subject: string
  user_id: string
  email: string | null
  created_at: Timestamp
}

export interface OidcLoginTable {
  state_hash: string
  provider: string
  nonce: string
  code_verifier: string
  link_user_id: ColumnType<string | null, string | null | undefined, string | null>
  link_session_id: ColumnType<string | null, string | null | undefined, string | null>
  expires_at: ColumnType<Date, Date | string, Date | string>
  created_at: Timestamp
}

/** Federated sign-in tables plus the user table they link to (same module). */
export interface OidcTables extends AuthTables {
  'auth.identity': IdentityTable
  'auth.oidc_login': OidcLoginTable
}
