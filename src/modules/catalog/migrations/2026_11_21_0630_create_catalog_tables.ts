import { sql, type Kysely, type Migration } from 'kysely'

/* eslint-disable @typescript-eslint/no-explicit-any */
async function createCategory(db: Kysely<any>) {
  await db.schema
    .createTable('catalog.category')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('parent_id', 'text', (c) => c.references('catalog.category.id').onDelete('restrict'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('category_parent_idx')
    .on('catalog.category')
    .column('parent_id')
    .execute()
}

async function createProduct(db: Kysely<any>) {
  await db.schema
    .createTable('catalog.product')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'published')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('search', sql`tsvector`, (c) =>
      c
        .generatedAlwaysAs(
          sql`setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', description), 'B')`,
        )
        .stored(),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  // A deleted product frees its slug (soft delete keeps the row for orders and history).
  await sql`create unique index product_slug_live_idx on catalog.product (slug) where deleted_at is null`.execute(
    db,
  )
  await sql`create index product_listing_idx on catalog.product (created_at desc, id) where deleted_at is null and status = 'published'`.execute(
    db,
  )
  await sql`create index product_search_idx on catalog.product using gin (search)`.execute(db)
  await sql`create index product_title_trgm_idx on catalog.product using gin (title gin_trgm_ops)`.execute(
    db,
  )
}

async function createVariant(db: Kysely<any>) {
  await db.schema
    .createTable('catalog.variant')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('product_id', 'text', (c) =>
      c.notNull().references('catalog.product.id').onDelete('cascade'),
    )
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('in_stock', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('stock_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  await sql`create unique index variant_sku_live_idx on catalog.variant (sku) where deleted_at is null`.execute(
    db,
  )
  await db.schema
    .createIndex('variant_product_idx')
    .on('catalog.variant')
    .columns(['product_id', 'position'])
    .execute()
  await db.schema
    .createTable('catalog.variant_price')
    .addColumn('variant_id', 'text', (c) =>
      c.notNull().references('catalog.variant.id').onDelete('cascade'),
    )
    .addColumn('currency', 'text', (c) => c.notNull().check(sql`currency ~ '^[A-Z]{3}$'`))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount >= 0`))
    .addPrimaryKeyConstraint('variant_price_pk', ['variant_id', 'currency'])
    .execute()
  await db.schema
    .createIndex('variant_price_currency_idx')
    .on('catalog.variant_price')
    .columns(['currency', 'amount'])
    .execute()
}

export const createCatalogTables: Migration = {
  async up(db: Kysely<any>) {
    await sql`create extension if not exists pg_trgm`.execute(db)
    await db.schema.createSchema('catalog').ifNotExists().execute()
    await createCategory(db)
    await createProduct(db)
    await createVariant(db)
    await db.schema
      .createTable('catalog.product_category')
      .addColumn('product_id', 'text', (c) =>
        c.notNull().references('catalog.product.id').onDelete('cascade'),
      )
      .addColumn('category_id', 'text', (c) =>
        c.notNull().references('catalog.category.id').onDelete('cascade'),
      )
      .addPrimaryKeyConstraint('product_category_pk', ['product_id', 'category_id'])
      .execute()
    await db.schema
      .createIndex('product_category_category_idx')
      .on('catalog.product_category')
      .column('category_id')
      .execute()
  },
  async down(db: Kysely<any>) {
    await db.schema.dropSchema('catalog').cascade().execute()
  },
}
