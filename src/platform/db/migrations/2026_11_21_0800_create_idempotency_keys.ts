import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the idempotency table with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('platform').ifNotExists().execute()
  await db.schema
    .createTable('platform.idempotency_key')
    // 'sub:<principal subject>' for a signed-in caller, 'anonymous' otherwise.
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    // The route pattern (`/v1/carts/:id/checkout`); the concrete URL is in the fingerprint.
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // The attempt holding a running key; only it may complete or release the key.
    .addColumn('owner', 'text')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('response_status', 'integer')
    .addColumn('response_headers', 'jsonb')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addPrimaryKeyConstraint('idempotency_key_pk', ['scope', 'method', 'route', 'key'])
    .addCheckConstraint('idempotency_key_status_ck', sql`status in ('running', 'done')`)
    .execute()
  await db.schema
    .createIndex('idempotency_key_created_idx')
    .on('platform.idempotency_key')
    .column('created_at')
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('platform.idempotency_key').execute()
}
