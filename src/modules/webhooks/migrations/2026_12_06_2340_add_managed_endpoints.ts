import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the webhooks schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // An endpoint another module keeps (the agent platform's order-events receiver): it gets only
  // that module's deliveries, never the public events' fan-out, signed the way its receiver
  // verifies (`acp`: the Agentic Commerce Protocol's Merchant-Signature).
  await db.schema
    .alterTable('webhooks.endpoint')
    .addColumn('managed_by', 'text')
    .addColumn('signature_scheme', 'text', (c) => c.notNull().defaultTo('standard'))
    .execute()
  await db.schema
    .alterTable('webhooks.endpoint')
    .addCheckConstraint(
      'endpoint_signature_scheme_ck',
      sql`signature_scheme in ('standard', 'acp')`,
    )
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('webhooks.endpoint')
    .dropColumn('managed_by')
    .dropColumn('signature_scheme')
    .execute()
}
