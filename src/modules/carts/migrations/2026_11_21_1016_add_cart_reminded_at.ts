import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the carts schema with a new migration, never by editing this one.

// When the abandoned-cart reminder went out: one reminder per cart.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('carts.cart').addColumn('reminded_at', 'timestamptz').execute()
  await db.schema
    .createIndex('cart_abandoned_idx')
    .on('carts.cart')
    .column('updated_at')
    .where(sql.ref('status'), '=', 'open')
    .where(sql.ref('reminded_at'), 'is', null)
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  // The partial index names the column: dropping the column drops it too.
  await db.schema.alterTable('carts.cart').dropColumn('reminded_at').execute()
}
