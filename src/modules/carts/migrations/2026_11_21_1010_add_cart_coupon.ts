import type { Kysely } from 'kysely'

// Frozen once landed: change the carts schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The code only, no foreign key: promotions own their tables; the cart re-evaluates the code
  // through the promotions API on every read.
  await db.schema.alterTable('carts.cart').addColumn('coupon_code', 'text').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('carts.cart').dropColumn('coupon_code').execute()
}
