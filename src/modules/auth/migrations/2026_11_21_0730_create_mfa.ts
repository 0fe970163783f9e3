import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the auth schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // One TOTP authenticator per user: pending until `confirmed_at` is set. `secret` is encrypted
  // when MFA_ENCRYPTION_KEY is set; `last_used_step` refuses a code replayed within its window.
  await db.schema
    .createTable('auth.mfa_totp')
    .addColumn('user_id', 'text', (c) =>
      c.primaryKey().references('auth.user.id').onDelete('cascade'),
    )
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('last_used_step', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // Recovery codes carry 80 random bits, so a SHA-256 is enough and lookup is an index probe.
  await db.schema
    .createTable('auth.mfa_recovery_code')
    .addColumn('user_id', 'text', (c) => c.notNull().references('auth.user.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('mfa_recovery_code_pk', ['user_id', 'code_hash'])
    .execute()
  // The password step's proof, spent by the second step: a SHA-256 of a 256-bit random token.
  await db.schema
    .createTable('auth.mfa_challenge')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('auth.user.id').onDelete('cascade'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('mfa_challenge_user_idx')
    .on('auth.mfa_challenge')
    .column('user_id')
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth.mfa_challenge').execute()
  await db.schema.dropTable('auth.mfa_recovery_code').execute()
  await db.schema.dropTable('auth.mfa_totp').execute()
}
