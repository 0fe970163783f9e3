import { sql, type Kysely, type Migration } from 'kysely'

export const createReservations: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('inventory.reservation')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('reference', 'text', (c) => c.notNull())
      .addColumn('variant_id', 'text', (c) =>
        c.notNull().references('inventory.stock_level.variant_id'),
      )
      .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
      .addColumn('status', 'text', (c) =>
        c
          .notNull()
          .defaultTo('held')
          .check(sql`status in ('held', 'committed', 'released')`),
      )
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addUniqueConstraint('reservation_reference_variant_key', ['reference', 'variant_id'])
      .execute()
    // The expiry job's scan and the staff list only ever look at holds.
    await db.schema
      .createIndex('reservation_held_expires_idx')
      .on('inventory.reservation')
      .column('expires_at')
      .where(sql.ref('status'), '=', 'held')
      .execute()
    await db.schema
      .createIndex('reservation_held_variant_idx')
      .on('inventory.reservation')
      .columns(['variant_id', 'expires_at'])
      .where(sql.ref('status'), '=', 'held')
      .execute()
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.dropTable('inventory.reservation').execute()
  },
}
