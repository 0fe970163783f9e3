import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the payments schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('payments').ifNotExists().execute()
  await db.schema
    .createTable('payments.test_payment')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('refunded', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('decline_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'test_payment_status_ck',
      sql`status in ('authorized', 'captured', 'declined', 'voided')`,
    )
    .addCheckConstraint('test_payment_refund_ck', sql`refunded between 0 and amount`)
    .execute()
  await db.schema
    .createTable('payments.test_refund')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('payment_reference', 'text', (c) =>
      c.notNull().references('payments.test_payment.reference'),
    )
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('payments.test_refund').execute()
  await db.schema.dropTable('payments.test_payment').execute()
  await db.schema.dropSchema('payments').execute()
}
