import { sql, type Kysely } from 'kysely'

// Frozen once landed: change this table with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('platform').ifNotExists().execute()
  await db.schema
    .createTable('platform.processed_event')
    // The subscriber's durable name (`catalog.cache`), not the event type.
    .addColumn('consumer', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('processed_event_pk', ['consumer', 'event_id'])
    .execute()
  await db.schema
    .createIndex('processed_event_processed_at_idx')
    .on('platform.processed_event')
    .column('processed_at')
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('platform.processed_event').execute()
}
