import { sql, type Kysely } from 'kysely'

// Frozen once landed: change these tables with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // One row per sign-in: the refresh-token family. Access tokens name it in their `sid` claim.
  await db.schema
    .createTable('auth.session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('auth.user.id').onDelete('cascade'))
    .addColumn('user_agent', 'text')
    .addColumn('ip', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_reason', 'text')
    .execute()
  await db.schema
    .createIndex('session_user_idx')
    .on('auth.session')
    .columns(['user_id', 'created_at'])
    .execute()

  // Only the SHA-256 of a refresh token is stored; a spent row stays so that reuse is recognised.
  await db.schema
    .createTable('auth.refresh_token')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) =>
      c.notNull().references('auth.session.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('spent_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('refresh_token_session_idx')
    .on('auth.refresh_token')
    .column('session_id')
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth.refresh_token').execute()
  await db.schema.dropTable('auth.session').execute()
}
