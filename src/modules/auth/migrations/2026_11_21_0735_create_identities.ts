import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the auth schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // An account at an OpenID provider, linked to one of ours. `email` is what the provider said
  // when the link was made (for support), not a second copy of the user's address.
  await db.schema
    .createTable('auth.identity')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('auth.user.id').onDelete('cascade'))
    .addColumn('email', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('identity_pk', ['provider', 'subject'])
    .execute()
  await db.schema.createIndex('identity_user_idx').on('auth.identity').column('user_id').execute()
  // A sign-in in flight: found by a SHA-256 of its state, spent by the callback, 10 minutes.
  await db.schema
    .createTable('auth.oidc_login')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth.oidc_login').execute()
  await db.schema.dropTable('auth.identity').execute()
}
