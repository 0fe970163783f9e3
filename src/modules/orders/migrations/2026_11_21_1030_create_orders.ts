import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the orders schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('orders').ifNotExists().execute()
  await sql`create sequence orders.order_number_seq start with 10001`.execute(db)
  await db.schema
    .createTable('orders.order')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'order_status_ck',
      sql`status in ('pending_payment', 'paid', 'fulfilled', 'delivered', 'cancelled', 'refunded')`,
    )
    .addCheckConstraint('order_owner_ck', sql`customer_id is not null or token_hash is not null`)
    .execute()
  await db.schema
    .createIndex('order_customer_idx')
    .on('orders.order')
    .columns(['customer_id', 'created_at', 'id'])
    .where(sql.ref('customer_id'), 'is not', null)
    .execute()
  await db.schema
    .createIndex('order_status_idx')
    .on('orders.order')
    .columns(['status', 'created_at'])
    .execute()
  await db.schema
    .createIndex('order_created_idx')
    .on('orders.order')
    .columns(['created_at', 'id'])
    .execute()
  await db.schema.createIndex('order_email_idx').on('orders.order').column('email').execute()
  await db.schema
    .createTable('orders.order_event')
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.order.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('order_event_pk', ['order_id', 'seq'])
    .execute()
  await db.schema
    .createTable('orders.refund')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.order.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('actor', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('refund_kind_ck', sql`kind in ('refund', 'cancel')`)
    .addCheckConstraint('refund_status_ck', sql`status in ('pending', 'succeeded', 'failed')`)
    .addCheckConstraint('refund_amount_ck', sql`amount >= 0`)
    .execute()
  await db.schema
    .createIndex('refund_pending_idx')
    .on('orders.refund')
    .columns(['status', 'created_at'])
    .where('status', '=', 'pending')
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('orders.refund').execute()
  await db.schema.dropTable('orders.order_event').execute()
  await db.schema.dropTable('orders.order').execute()
  await sql`drop sequence orders.order_number_seq`.execute(db)
  await db.schema.dropSchema('orders').execute()
}
