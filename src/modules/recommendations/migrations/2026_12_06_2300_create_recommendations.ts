import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the recommendations schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('recommendations').ifNotExists().execute()
  // How many paid orders held each product (the n of the score's denominator).
  await db.schema
    .createTable('recommendations.product_orders')
    .addColumn('product_id', 'text', (c) => c.primaryKey())
    .addColumn('orders', 'integer', (c) => c.notNull())
    .execute()
  // How many paid orders held both products; stored in both directions, so one product's
  // candidates are one range of the primary key.
  await db.schema
    .createTable('recommendations.product_pair')
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('other_id', 'text', (c) => c.notNull())
    .addColumn('orders', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('product_pair_pk', ['product_id', 'other_id'])
    .addCheckConstraint('product_pair_distinct_ck', sql`product_id <> other_id`)
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropSchema('recommendations').cascade().execute()
}
