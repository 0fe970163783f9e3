import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the catalog schema with a new migration, never by editing this one.

/**
 * The rating over a product's published reviews, projected from the reviews module's
 * `product.rating_changed` events; `rating_version` keeps an older event from overwriting a newer.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('catalog.product')
    .addColumn('rating_average', sql`numeric(3, 2)`)
    .addColumn('rating_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rating_distribution', 'jsonb', (c) =>
      c.notNull().defaultTo(sql`'{"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}'::jsonb`),
    )
    .addColumn('rating_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('catalog.product')
    .dropColumn('rating_version')
    .dropColumn('rating_distribution')
    .dropColumn('rating_count')
    .dropColumn('rating_average')
    .execute()
}
