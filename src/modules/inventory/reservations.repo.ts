import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import { newId } from '../../shared/ids.js'
import type {
  InventoryTables,
  ReservationStatus,
  ReservationTable,
  StockLevelTable,
} from './inventory.tables.js'

type StockLevelRow = Selectable<StockLevelTable>

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

/** A line held and recorded, with its stock level as the hold left it. */
export interface HeldLine {
  line: ReservationLine
  level: StockLevelRow
}

/**
 * Holds `quantity` units of one variant for `reference` and records the line, in one statement.
 * The hold is a conditional update: the row lock it takes makes a concurrent hold re-check the
 * condition against the committed figures, so available stock can never go below zero. Undefined
 * when short (or untracked): nothing is written.
 */
export async function holdLine(
  trx: Transaction<InventoryTables>,
  reference: string,
  line: { variantId: string; quantity: number },
  ttlSeconds: number,
): Promise<HeldLine | undefined> {
  const { rows } = await sql<Selectable<ReservationTable> & { level: StockLevelRow }>`
    with held as (
      update inventory.stock_level
        set reserved = reserved + ${line.quantity}, version = version + 1, updated_at = now()
        where variant_id = ${line.variantId} and on_hand - reserved >= ${line.quantity}
        returning variant_id, on_hand, reserved, low_stock_threshold, version, updated_at
    ), line as (
      insert into inventory.reservation (id, reference, variant_id, quantity, expires_at)
        select ${newId('res')}, ${reference}, variant_id, ${line.quantity},
          now() + make_interval(secs => ${ttlSeconds})
        from held
        returning id, reference, variant_id, quantity, status, expires_at, created_at, updated_at
    )
    select line.*, to_jsonb(held) as level from line, held`.execute(trx)
  const row = rows[0]
  if (!row) return undefined
  const { level, ...line_ } = row
  return { line: toLine(line_), level: { ...level, updated_at: new Date(level.updated_at) } }
}

/** Deletes a reference's lines: a hold given back before its transaction ends. */
export async function deleteReservationLines(trx: Transaction<InventoryTables>, reference: string) {
  await trx.deleteFrom('inventory.reservation').where('reference', '=', reference).execute()
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
