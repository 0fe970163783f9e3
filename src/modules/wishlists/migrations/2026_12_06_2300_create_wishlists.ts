import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the wishlists schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('wishlists').ifNotExists().execute()
  // No foreign keys to auth or the catalog: modules own their tables. A deleted account's
  // wishlist goes with its customer.deleted event; a deleted product's items stay, shown
  // unavailable, until the customer removes them.
  await db.schema
    .createTable('wishlists.wishlist')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().unique())
    .addColumn('notify_back_in_stock', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('notify_price_drop', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('share_token_hash', 'text', (c) => c.unique())
    .addColumn('shared_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('wishlists.item')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('wishlist_id', 'text', (c) =>
      c.notNull().references('wishlists.wishlist.id').onDelete('cascade'),
    )
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('variant_id', 'text')
    // The price a price drop is measured against: when added, then when last notified.
    .addColumn('noticed_amount', 'bigint')
    .addColumn('noticed_currency', 'text')
    // The stock state last seen, so back-in-stock fires once per out-of-stock → in-stock change.
    .addColumn('in_stock', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // One row per product and variant in a wishlist: concurrent adds of the same product meet here.
  // A null variant (the product as a whole) is its own value, distinct from every variant.
  await sql`create unique index item_product_variant_idx
    on wishlists.item (wishlist_id, product_id, (coalesce(variant_id, '')))`.execute(db)
  await db.schema
    .createIndex('item_wishlist_created_idx')
    .on('wishlists.item')
    .columns(['wishlist_id', 'created_at', 'id'])
    .execute()
  await db.schema
    .createIndex('item_product_idx')
    .on('wishlists.item')
    .column('product_id')
    .execute()
  // One per alert mail: its one-click unsubscribe turns that kind of alert off. Only hashes.
  await db.schema
    .createTable('wishlists.alert_unsubscribe')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('wishlist_id', 'text', (c) =>
      c.notNull().references('wishlists.wishlist.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('alert_unsubscribe_kind_ck', sql`kind in ('back_in_stock', 'price_drop')`)
    .execute()
  await db.schema
    .createIndex('alert_unsubscribe_wishlist_idx')
    .on('wishlists.alert_unsubscribe')
    .column('wishlist_id')
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('wishlists.alert_unsubscribe').execute()
  await db.schema.dropTable('wishlists.item').execute()
  await db.schema.dropTable('wishlists.wishlist').execute()
  await db.schema.dropSchema('wishlists').execute()
}
