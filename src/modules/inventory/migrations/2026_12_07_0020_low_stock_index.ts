import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the inventory schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The low-stock list (admin pages and the daily digest): only the rows at or below their
  // threshold, in the list's order, so a page is an index range however large the catalog.
  await sql`CREATE INDEX stock_level_low_stock_idx ON inventory.stock_level
    ((on_hand - reserved), variant_id) WHERE on_hand - reserved <= low_stock_threshold`.execute(db)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX inventory.stock_level_low_stock_idx`.execute(db)
}
