import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the carts schema with a new migration, never by editing this one.

// A cart that went to checkout is `ordered`: no second checkout, no more changes; a declined
// payment opens it again.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('carts.cart').dropConstraint('cart_status_ck').execute()
  await db.schema
    .alterTable('carts.cart')
    .addCheckConstraint('cart_status_ck', sql`status in ('open', 'merged', 'ordered')`)
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('carts.cart').where('status', '=', 'ordered').execute()
  await db.schema.alterTable('carts.cart').dropConstraint('cart_status_ck').execute()
  await db.schema
    .alterTable('carts.cart')
    .addCheckConstraint('cart_status_ck', sql`status in ('open', 'merged')`)
    .execute()
}
