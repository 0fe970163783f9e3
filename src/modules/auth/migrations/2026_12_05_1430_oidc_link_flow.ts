import type { Kysely } from 'kysely'

// Frozen once landed: change the auth schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // A pending login started by a signed-in user to link a provider account to their own: the
  // callback links to this user, and only while this session is still live.
  await db.schema
    .alterTable('auth.oidc_login')
    .addColumn('link_user_id', 'text', (c) => c.references('auth.user.id').onDelete('cascade'))
    .addColumn('link_session_id', 'text')
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('auth.oidc_login')
    .dropColumn('link_session_id')
    .dropColumn('link_user_id')
    .execute()
}
