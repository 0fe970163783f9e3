import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface AddressTable {
  id: string
  user_id: string
  name: string
  line1: string
  line2: string | null
  city: string
  region: string | null
  postal_code: string
  country: string
  phone: string | null
  is_default: Generated<boolean>
  created_at: Timestamp
  updated_at: Timestamp
}

/** The customers module's tables, and only those. */
export interface CustomersTables {
  'customers.address': AddressTable
}
