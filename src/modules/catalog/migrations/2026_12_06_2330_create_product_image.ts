import { sql, type Kysely, type Migration } from 'kysely'

/**
 * Product images: one row per uploaded image, its files in the media storage under the keys
 * recorded here. A removed image (or a deleted product's) is marked `deleted_at` until the
 * catalog's purge consumer has removed its files, then the row goes.
 */
export const createProductImage: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('catalog.product_image')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('product_id', 'text', (c) =>
        c.notNull().references('catalog.product.id').onDelete('cascade'),
      )
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('alt', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('width', 'integer', (c) => c.notNull())
      .addColumn('height', 'integer', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('original_key', 'text', (c) => c.notNull())
      .addColumn('small_key', 'text', (c) => c.notNull())
      .addColumn('medium_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('deleted_at', 'timestamptz')
      .execute()
    await sql`create index product_image_product_idx on catalog.product_image (product_id, position, id) where deleted_at is null`.execute(
      db,
    )
    await sql`create index product_image_deleted_idx on catalog.product_image (product_id) where deleted_at is not null`.execute(
      db,
    )
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.dropTable('catalog.product_image').execute()
  },
}
