import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the reviews schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('reviews').ifNotExists().execute()
  await db.schema
    .createTable('reviews.review')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('rating', 'smallint', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('verified_purchase', 'boolean', (c) => c.notNull())
    .addColumn('helpful_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('review_product_customer_uq', ['product_id', 'customer_id'])
    .addCheckConstraint('review_rating_ck', sql`rating between 1 and 5`)
    .addCheckConstraint('review_status_ck', sql`status in ('pending', 'published', 'rejected')`)
    .addCheckConstraint(
      'review_text_ck',
      sql`char_length(body) between 1 and 5000 and (title is null or char_length(title) <= 120)`,
    )
    .execute()
  // The storefront's list: a product's published reviews, newest or by rating.
  await db.schema
    .createIndex('review_product_published_idx')
    .on('reviews.review')
    .columns(['product_id', 'rating', 'id'])
    .where(sql.ref('status'), '=', 'published')
    .execute()
  await db.schema
    .createIndex('review_status_idx')
    .on('reviews.review')
    .columns(['status', 'id'])
    .execute()
  await db.schema
    .createTable('reviews.helpful_vote')
    .addColumn('review_id', 'text', (c) =>
      c.notNull().references('reviews.review.id').onDelete('cascade'),
    )
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('helpful_vote_pk', ['review_id', 'customer_id'])
    .execute()
  await db.schema
    .createTable('reviews.product_rating')
    .addColumn('product_id', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sum', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stars_1', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stars_2', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stars_3', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stars_4', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stars_5', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addCheckConstraint(
      'product_rating_counts_ck',
      sql`count >= 0 and stars_1 >= 0 and stars_2 >= 0 and stars_3 >= 0 and stars_4 >= 0
        and stars_5 >= 0 and count = stars_1 + stars_2 + stars_3 + stars_4 + stars_5
        and sum = stars_1 + 2 * stars_2 + 3 * stars_3 + 4 * stars_4 + 5 * stars_5`,
    )
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reviews.product_rating').execute()
  await db.schema.dropTable('reviews.helpful_vote').execute()
  await db.schema.dropTable('reviews.review').execute()
  await db.schema.dropSchema('reviews').execute()
}
