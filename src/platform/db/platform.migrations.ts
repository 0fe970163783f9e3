import { sql, type Kysely, type Migration } from 'kysely'
import type { MigrationSet } from './migrations.js'
import * as createIdempotencyKeys from './migrations/2026_11_21_0800_create_idempotency_keys.js'
import * as createProcessedEvents from './migrations/2026_11_21_0820_create_processed_events.js'
import * as forgetStoredReplies from './migrations/2026_12_05_1430_forget_stored_replies.js'
import * as addOutboxTraceparent from './migrations/2026_12_06_2000_add_outbox_traceparent.js'

// The platform's own tables: the outbox, the idempotency keys and the processed events. (pg-boss manages its own `pgboss` schema.)
const createOutbox: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.createSchema('platform').ifNotExists().execute()
    await db.schema
      .createTable('platform.outbox')
      .addColumn('position', 'bigserial', (c) => c.primaryKey())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('aggregate_type', 'text', (c) => c.notNull())
      .addColumn('aggregate_id', 'text', (c) => c.notNull())
      .addColumn('payload', 'jsonb', (c) => c.notNull())
      .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('lease_until', 'timestamptz')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('published_at', 'timestamptz')
      .execute()
    await sql`create index outbox_pending_idx on platform.outbox (position) where published_at is null`.execute(
      db,
    )
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.dropTable('platform.outbox').execute()
  },
}

export const platformMigrations: MigrationSet = {
  '2026_11_21_0600_create_outbox': createOutbox,
  '2026_11_21_0800_create_idempotency_keys': createIdempotencyKeys,
  '2026_11_21_0820_create_processed_events': createProcessedEvents,
  '2026_12_05_1430_forget_stored_replies': forgetStoredReplies,
  '2026_12_06_2000_add_outbox_traceparent': addOutboxTraceparent,
}
