import { sql, type Kysely, type Selectable, type Updateable } from 'kysely'
import type { AddressTable, CustomersTables } from './customers.tables.js'

/** Repository functions take `db` or a `trx` first; every one is scoped by the owner's id. */
export type CustomersDb = Kysely<CustomersTables>

export interface AddressRecord {
  id: string
  userId: string
  name: string
  line1: string
  line2: string | null
  city: string
  region: string | null
  postalCode: string
  country: string
  phone: string | null
  isDefault: boolean
  createdAt: Date
  updatedAt: Date
}

export type AddressFields = Omit<
  AddressRecord,
  'id' | 'userId' | 'isDefault' | 'createdAt' | 'updatedAt'
>

const COLUMNS = [
  'id',
  'user_id',
  'name',
  'line1',
  'line2',
  'city',
  'region',
  'postal_code',
  'country',
  'phone',
  'is_default',
  'created_at',
  'updated_at',
] as const

function toAddress(row: Selectable<AddressTable>): AddressRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    line1: row.line1,
    line2: row.line2,
    city: row.city,
    region: row.region,
    postalCode: row.postal_code,
    country: row.country,
    phone: row.phone,
    isDefault: row.is_default,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function toColumns(fields: Partial<AddressFields>): Updateable<AddressTable> {
  const { postalCode, ...rest } = fields
  return { ...rest, ...(postalCode === undefined ? {} : { postal_code: postalCode }) }
}

/**
 * Serializes address writes of one customer for the rest of the transaction, so two concurrent
 * "first address" inserts cannot both become the default (works on PGlite and PostgreSQL).
 */
export async function lockAddressBook(trx: CustomersDb, userId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`customers.address:${userId}`}, 0))`.execute(
    trx,
  )
}

export async function listAddresses(db: CustomersDb, userId: string): Promise<AddressRecord[]> {
  const rows = await db
    .selectFrom('customers.address')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map(toAddress)
}

export async function countAddresses(db: CustomersDb, userId: string): Promise<number> {
  const row = await db
    .selectFrom('customers.address')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function findAddress(
  db: CustomersDb,
  userId: string,
  id: string,
): Promise<AddressRecord | undefined> {
  const row = await db
    .selectFrom('customers.address')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toAddress(row) : undefined
}

export async function insertAddress(
  db: CustomersDb,
  row: AddressFields & { id: string; userId: string; isDefault: boolean },
): Promise<AddressRecord> {
  const inserted = await db
    .insertInto('customers.address')
    .values({
      id: row.id,
      user_id: row.userId,
      name: row.name,
      line1: row.line1,
      line2: row.line2,
      city: row.city,
      region: row.region,
      postal_code: row.postalCode,
      country: row.country,
      phone: row.phone,
      is_default: row.isDefault,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
  return toAddress(inserted)
}

export async function updateAddress(
  db: CustomersDb,
  userId: string,
  id: string,
  patch: Partial<AddressFields> & { isDefault?: boolean },
): Promise<AddressRecord | undefined> {
  const { isDefault, ...fields } = patch
  const row = await db
    .updateTable('customers.address')
    .set({
      ...toColumns(fields),
      ...(isDefault === undefined ? {} : { is_default: isDefault }),
      updated_at: sql<Date>`now()`,
    })
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst()
  return row ? toAddress(row) : undefined
}

/** Unsets the current default (other than `exceptId`), so a new one can take its place. */
export async function clearDefaultAddress(
  db: CustomersDb,
  userId: string,
  exceptId?: string,
): Promise<void> {
  let query = db
    .updateTable('customers.address')
    .set({ is_default: false, updated_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('is_default', '=', true)
  if (exceptId) query = query.where('id', '!=', exceptId)
  await query.execute()
}

/** Deletes one address; returns whether it was the default. Undefined when there was none. */
export async function deleteAddress(
  db: CustomersDb,
  userId: string,
  id: string,
): Promise<{ wasDefault: boolean } | undefined> {
  const row = await db
    .deleteFrom('customers.address')
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .returning('is_default')
    .executeTakeFirst()
  return row ? { wasDefault: row.is_default } : undefined
}

/** Makes the newest remaining address the default (after the default one was deleted). */
export async function promoteNewestAddress(db: CustomersDb, userId: string): Promise<void> {
  await db
    .updateTable('customers.address')
    .set({ is_default: true, updated_at: sql<Date>`now()` })
    .where('id', '=', (eb) =>
      eb
        .selectFrom('customers.address')
        .select('id')
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1),
    )
    .execute()
}

export async function deleteAllAddresses(db: CustomersDb, userId: string): Promise<number> {
  const result = await db
    .deleteFrom('customers.address')
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
