import type { Kysely } from 'kysely'

// Frozen once landed: change the carts schema with a new migration, never by editing this one.

// Bumped on every write of a cart or its lines: checkout closes the cart only at the version it
// priced, an integer compare instead of a timestamp's text.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('carts.cart')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('carts.cart').dropColumn('version').execute()
}
