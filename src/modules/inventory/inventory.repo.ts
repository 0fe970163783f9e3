import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { InventoryTables, StockLevelTable } from './inventory.tables.js'

type Db = Kysely<InventoryTables> | Transaction<InventoryTables>

export interface StockLevel {
  variantId: string
  onHand: number
  reserved: number
  available: number
  lowStockThreshold: number
  version: number
  updatedAt: Date
}

export function toStockLevel(row: Selectable<StockLevelTable>): StockLevel {
  return {
    variantId: row.variant_id,
    onHand: row.on_hand,
    reserved: row.reserved,
    available: row.on_hand - row.reserved,
    lowStockThreshold: row.low_stock_threshold,
    version: row.version,
    updatedAt: row.updated_at,
  }
}

const COLUMNS = [
  'variant_id',
  'on_hand',
  'reserved',
  'low_stock_threshold',
  'version',
  'updated_at',
] as const

export async function insertStockLevels(
  db: Db,
  levels: { variantId: string; onHand: number }[],
): Promise<void> {
  if (levels.length === 0) return
  await db
    .insertInto('inventory.stock_level')
    .values(levels.map((l) => ({ variant_id: l.variantId, on_hand: l.onHand })))
    .execute()
}

export async function findStockLevels(db: Db, variantIds: string[]): Promise<StockLevel[]> {
  if (variantIds.length === 0) return []
  const rows = await db
    .selectFrom('inventory.stock_level')
    .select(COLUMNS)
    .where('variant_id', 'in', variantIds)
    .execute()
  return rows.map(toStockLevel)
}

/**
 * Sets on-hand stock and/or the low-stock threshold; `expectedVersion` makes it conditional
 * (If-Match). Undefined when no row matched.
 */
export async function updateStockLevel(
  db: Db,
  variantId: string,
  change: { onHand?: number | undefined; lowStockThreshold?: number | undefined },
  expectedVersion: number | undefined,
): Promise<StockLevel | undefined> {
  let query = db
    .updateTable('inventory.stock_level')
    .set({
      ...(change.onHand !== undefined ? { on_hand: change.onHand } : {}),
      ...(change.lowStockThreshold !== undefined
        ? { low_stock_threshold: change.lowStockThreshold }
        : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('variant_id', '=', variantId)
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion)
  const row = await query.returning(COLUMNS).executeTakeFirst()
  return row ? toStockLevel(row) : undefined
}

/** Adds signed deltas to on-hand and reserved stock (the check constraints guard the result). */
export async function adjustStock(
  db: Db,
  variantId: string,
  delta: { onHand: number; reserved: number },
): Promise<StockLevel> {
  const row = await db
    .updateTable('inventory.stock_level')
    .set({
      on_hand: sql`on_hand + ${delta.onHand}`,
      reserved: sql`reserved + ${delta.reserved}`,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('variant_id', '=', variantId)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
  return toStockLevel(row)
}

/** Variants whose available stock is at or below their threshold, lowest first, at most `limit`. */
/** Where a low-stock page starts: after this (available, variant) in the list's order. */
export interface LowStockAfter {
  available: number
  variantId: string
}

export async function findLowStockLevels(
  db: Db,
  limit: number,
  after?: LowStockAfter,
): Promise<StockLevel[]> {
  let query = db
    .selectFrom('inventory.stock_level')
    .select(COLUMNS)
    .where(sql<boolean>`on_hand - reserved <= low_stock_threshold`)
  if (after) {
    query = query.where(
      sql<boolean>`(on_hand - reserved, variant_id) > (${after.available}, ${after.variantId})`,
    )
  }
  const rows = await query
    .orderBy(sql`on_hand - reserved`)
    .orderBy('variant_id')
    .limit(limit)
    .execute()
  return rows.map(toStockLevel)
}
