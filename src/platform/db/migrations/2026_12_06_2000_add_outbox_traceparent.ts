import type { Kysely } from 'kysely'

// Frozen once landed.
//
// The W3C `traceparent` of the span that wrote an event, when tracing is on: the relay, the
// consumers and the webhook deliveries continue that trace (src/platform/telemetry/tracing.ts).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('platform.outbox').addColumn('traceparent', 'text').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('platform.outbox').dropColumn('traceparent').execute()
}
