import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the customers schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('customers').ifNotExists().execute()
  // No foreign key to auth.user: modules own their tables, and this one follows the account's
  // lifecycle through its events (customer.deleted removes the rows).
  await db.schema
    .createTable('customers.address')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('line1', 'text', (c) => c.notNull())
    .addColumn('line2', 'text')
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('postal_code', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('address_country_ck', sql`country ~ '^[A-Z]{2}$'`)
    .execute()
  await db.schema
    .createIndex('address_user_idx')
    .on('customers.address')
    .columns(['user_id', 'created_at'])
    .execute()
  // One default address per customer, enforced by the database rather than by care.
  await sql`create unique index address_one_default_idx on customers.address (user_id)
    where is_default`.execute(db)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customers.address').execute()
  await db.schema.dropSchema('customers').execute()
}
