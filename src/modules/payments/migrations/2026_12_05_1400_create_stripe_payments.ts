import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the payments schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payments.stripe_payment')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('intent_id', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('payments.stripe_payment').execute()
}
