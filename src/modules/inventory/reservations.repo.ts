import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import { newId } from '../../shared/ids.js'
import type { InventoryTables, ReservationStatus, ReservationTable } from './inventory.tables.js'

type Db = Kysely<InventoryTables> | Transaction<InventoryTables>

/** One line of a reservation: a quantity of one variant held (or sold, or let go) for a reference. */
export interface ReservationLine {
  id: string
  reference: string
  variantId: string
  quantity: number
  status: ReservationStatus
  expiresAt: Date
  createdAt: Date
  updatedAt: Date
}

const COLUMNS = [
  'id',
  'reference',
  'variant_id',
  'quantity',
  'status',
  'expires_at',
  'created_at',
  'updated_at',
] as const

function toLine(row: Selectable<ReservationTable>): ReservationLine {
  return {
    id: row.id,
    reference: row.reference,
    variantId: row.variant_id,
    quantity: row.quantity,
    status: row.status,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

// Advisory-lock namespace of reservation references ('inv' in ASCII); the second key is the
// reference's hash, so a collision only serializes two unrelated references.
const LOCK_CLASS = 0x696e76

/**
 * Serializes every change to one reference's reservation until the transaction ends: its lines
 * move together (a batch of the expiry job never splits them from a concurrent commit), and two
 * concurrent `reserve` calls for one reference cannot both take stock.
 */
export async function lockReference(trx: Transaction<InventoryTables>, reference: string) {
  await sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${reference}))`.execute(trx)
}

/**
 * Up to `limit` references with expired holds whose lock this transaction could take at once;
 * the ones another worker is handling are skipped, so several workers can run the job together.
 */
export async function lockExpiredReferences(
  trx: Transaction<InventoryTables>,
  limit: number,
): Promise<string[]> {
  const result = await sql<{ reference: string }>`
    select reference from (
      select reference, min(expires_at) as expires_at from inventory.reservation
      where status = 'held' and expires_at < now()
      group by reference order by 2 limit ${limit}
    ) expired
    where pg_try_advisory_xact_lock(${LOCK_CLASS}, hashtext(reference))`.execute(trx)
  return result.rows.map((r) => r.reference)
}

export async function findReservationLines(db: Db, reference: string): Promise<ReservationLine[]> {
  const rows = await db
    .selectFrom('inventory.reservation')
    .select(COLUMNS)
    .where('reference', '=', reference)
    .orderBy('variant_id')
    .execute()
  return rows.map(toLine)
}

export async function insertReservationLines(
  trx: Transaction<InventoryTables>,
  reference: string,
  lines: { variantId: string; quantity: number }[],
  ttlSeconds: number,
): Promise<ReservationLine[]> {
  const rows = await trx
    .insertInto('inventory.reservation')
    .values(
      lines.map((l) => ({
        id: newId('res'),
        reference,
        variant_id: l.variantId,
        quantity: l.quantity,
        expires_at: sql<Date>`now() + make_interval(secs => ${ttlSeconds})`,
      })),
    )
    .returning(COLUMNS)
    .execute()
  return rows.map(toLine).sort((a, b) => compare(a.variantId, b.variantId))
}

/** Moves the reference's lines from one status to another; returns the lines that moved. */
export async function transitionLines(
  trx: Transaction<InventoryTables>,
  references: string[],
  from: ReservationStatus,
  to: ReservationStatus,
  onlyExpired = false,
): Promise<ReservationLine[]> {
  if (references.length === 0) return []
  let query = trx
    .updateTable('inventory.reservation')
    .set({ status: to, updated_at: sql`now()` })
    .where('reference', 'in', references)
    .where('status', '=', from)
  if (onlyExpired) query = query.where('expires_at', '<', sql<Date>`now()`)
  const rows = await query.returning(COLUMNS).execute()
  return rows.map(toLine)
}

export async function listHeldLines(
  db: Db,
  variantId: string,
  limit: number,
): Promise<ReservationLine[]> {
  const rows = await db
    .selectFrom('inventory.reservation')
    .select(COLUMNS)
    .where('variant_id', '=', variantId)
    .where('status', '=', 'held')
    .orderBy('expires_at')
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map(toLine)
}

/** Code-point order, the same in every process (lock order must not depend on the locale). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
