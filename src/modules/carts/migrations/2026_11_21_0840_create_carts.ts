import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the carts schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('carts').ifNotExists().execute()
  // No foreign keys to auth or catalog: modules own their tables; variants are re-read from the
  // catalog's API on every read, so a deleted variant shows as an unavailable line.
  await db.schema
    .createTable('carts.cart')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text')
    .addColumn('token_hash', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('email', 'text')
    .addColumn('shipping_address', 'jsonb')
    .addColumn('shipping_method_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('cart_currency_ck', sql`currency ~ '^[A-Z]{3}$'`)
    .addCheckConstraint('cart_status_ck', sql`status in ('open', 'merged')`)
    .addCheckConstraint('cart_owner_ck', sql`customer_id is not null or token_hash is not null`)
    .execute()
  await db.schema
    .createIndex('cart_customer_idx')
    .on('carts.cart')
    .columns(['customer_id', 'status', 'updated_at'])
    .where(sql.ref('customer_id'), 'is not', null)
    .execute()
  await db.schema
    .createTable('carts.cart_item')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cart_id', 'text', (c) =>
      c.notNull().references('carts.cart.id').onDelete('cascade'),
    )
    .addColumn('variant_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_seen', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('cart_item_quantity_ck', sql`quantity between 1 and 99`)
    .addUniqueConstraint('cart_item_variant_uq', ['cart_id', 'variant_id'])
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('carts.cart_item').execute()
  await db.schema.dropTable('carts.cart').execute()
  await db.schema.dropSchema('carts').execute()
}
