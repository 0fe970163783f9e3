import type { Kysely } from 'kysely'

// Frozen once landed: change the webhooks schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('webhooks.endpoint')
    .addColumn('previous_secret', 'text')
    .addColumn('previous_secret_expires_at', 'timestamptz')
    .execute()
  // Who is sending the delivery's next attempt, until when: two jobs for one attempt send once.
  await db.schema
    .alterTable('webhooks.delivery')
    .addColumn('claimed_until', 'timestamptz')
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhooks.delivery').dropColumn('claimed_until').execute()
  await db.schema
    .alterTable('webhooks.endpoint')
    .dropColumn('previous_secret')
    .dropColumn('previous_secret_expires_at')
    .execute()
}
