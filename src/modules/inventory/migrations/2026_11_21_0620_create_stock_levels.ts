import { sql, type Kysely, type Migration } from 'kysely'

export const createStockLevels: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.createSchema('inventory').ifNotExists().execute()
    await db.schema
      .createTable('inventory.stock_level')
      .addColumn('variant_id', 'text', (c) => c.primaryKey())
      .addColumn('on_hand', 'integer', (c) => c.notNull().check(sql`on_hand >= 0`))
      .addColumn('reserved', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`reserved >= 0`),
      )
      .addColumn('low_stock_threshold', 'integer', (c) => c.notNull().defaultTo(5))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addCheckConstraint('stock_level_reserved_le_on_hand', sql`reserved <= on_hand`)
      .execute()
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.dropTable('inventory.stock_level').execute()
    await db.schema.dropSchema('inventory').execute()
  },
}
