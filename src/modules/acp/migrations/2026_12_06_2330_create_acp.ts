import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the acp schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('acp').ifNotExists().execute()
  await db.schema
    .createTable('acp.checkout_session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('api_key_id', 'text', (c) => c.notNull())
    .addColumn('cart_id', 'text', (c) => c.notNull())
    .addColumn('cart_token', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('buyer', 'jsonb')
    .addColumn('fulfillment_details', 'jsonb')
    .addColumn('messages', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('order_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('checkout_session_cart_uq', ['cart_id'])
    .addCheckConstraint(
      'checkout_session_status_ck',
      sql`status in ('open', 'completed', 'canceled')`,
    )
    .addCheckConstraint(
      'checkout_session_order_ck',
      sql`(status = 'completed') = (order_id is not null)`,
    )
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropSchema('acp').ifExists().cascade().execute()
}
