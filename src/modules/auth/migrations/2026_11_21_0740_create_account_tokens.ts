import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the auth schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Single-use tokens mailed to the account's address. Only a SHA-256 of the token is stored:
  // the token is 256 random bits, so a fast hash is enough and lookup stays an index probe.
  await db.schema
    .createTable('auth.account_token')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('auth.user.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'account_token_purpose_ck',
      sql`purpose in ('email_verification', 'password_reset')`,
    )
    .execute()
  await db.schema
    .createIndex('account_token_user_idx')
    .on('auth.account_token')
    .columns(['user_id', 'purpose'])
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth.account_token').execute()
}
