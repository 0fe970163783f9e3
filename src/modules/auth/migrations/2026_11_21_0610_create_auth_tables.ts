import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the auth schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('auth').ifNotExists().execute()
  await db.schema
    .createTable('auth.user')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('email_verified_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Uniqueness is case-insensitive because only lower-cased addresses can be stored.
    .addCheckConstraint('user_email_lower_ck', sql`email = lower(email)`)
    .addCheckConstraint('user_role_ck', sql`role in ('customer', 'staff', 'admin')`)
    .addCheckConstraint('user_status_ck', sql`status in ('active', 'disabled')`)
    .execute()

  await db.schema
    .createTable('auth.signing_key')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('public_jwk', 'jsonb', (c) => c.notNull())
    .addColumn('private_jwk', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('retired_at', 'timestamptz')
    .execute()
  // At most one key signs at a time: processes racing to create the first one insert with
  // "on conflict do nothing" against this index and then all read the winner.
  await sql`create unique index signing_key_one_active_idx on auth.signing_key ((true))
    where retired_at is null`.execute(db)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth.signing_key').execute()
  await db.schema.dropTable('auth.user').execute()
  await db.schema.dropSchema('auth').execute()
}
