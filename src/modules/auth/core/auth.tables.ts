import type { ColumnType, Generated } from 'kysely'
import type { JWK } from 'jose'
import type { Role } from './permissions.js'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** jsonb: written as JSON text, read back parsed by the driver. */
type Json<T> = ColumnType<T, string, string>

export interface UserTable {
  id: string
  email: string
  name: string
  role: Role
  status: Generated<'active' | 'disabled'>
  password_hash: string
  email_verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface SigningKeyTable {
  kid: string
  public_jwk: Json<JWK>
  /** The JWK as generated, or (a JSON string) sealed under SIGNING_KEY_ENCRYPTION_KEY. */
  private_jwk: Json<JWK | string>
  created_at: Timestamp
  retired_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** The auth module's tables, and only those: a query on another module's table does not compile. */
export interface AuthTables {
  'auth.user': UserTable
  'auth.signing_key': SigningKeyTable
}
