import { sql, type Kysely, type Transaction } from 'kysely'
import { SpanKind, withSpan } from '../telemetry/tracing.js'
import type { DomainEvent, EventHandler } from './types.js'

interface ProcessedEventTable {
  consumer: string
  event_id: string
  processed_at: Date
}

interface ProcessedEventTables {
  'platform.processed_event': ProcessedEventTable
}

type Db = Kysely<unknown> | Transaction<unknown>

function tables(db: Db): Kysely<ProcessedEventTables> {
  return db as unknown as Kysely<ProcessedEventTables>
}

/**
 * Records that `consumer` processed `eventId`; true if this call recorded it, false if it was
 * already there. Call it with the `trx` that writes the handler's effect and roll back on false:
 * the effect and the record then commit together, so the effect happens exactly once.
 */
export async function claimEvent(trx: Db, consumer: string, eventId: string): Promise<boolean> {
  const result = await tables(trx)
    .insertInto('platform.processed_event')
    .values({ consumer, event_id: eventId, processed_at: sql<Date>`now()` })
    .onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing())
    .returning('event_id')
    .executeTakeFirst()
  return result !== undefined
}

export async function isProcessed(db: Db, consumer: string, eventId: string): Promise<boolean> {
  const row = await tables(db)
    .selectFrom('platform.processed_event')
    .select('event_id')
    .where('consumer', '=', consumer)
    .where('event_id', '=', eventId)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Wraps a handler so each event id reaches it at most once per consumer once it has succeeded:
 * an event already recorded is skipped; otherwise the handler runs and, only if it resolves, the
 * record is written (before the bus acknowledges the delivery). The handler runs outside any
 * transaction (on PGlite a held transaction would lock out the handler's own queries), so a crash
 * between its effect and the record means one more run: effects are at least once, and exactly
 * once for a handler that calls `claimEvent` in the transaction of its own effect.
 */
export function processOnce(db: Kysely<unknown>, consumer: string, handler: EventHandler) {
  const run = async (event: DomainEvent): Promise<'processed' | 'duplicate'> => {
    if (await isProcessed(db, consumer, event.id)) return 'duplicate'
    await handler(event)
    await claimEvent(db, consumer, event.id)
    return 'processed'
  }
  // On either bus, a consumer's span continues the trace the event carries.
  return (event: DomainEvent) =>
    withSpan(
      `event consume ${event.type}`,
      { 'messaging.consumer.group.name': consumer, 'emporium.event.id': event.id },
      () => run(event),
      { kind: SpanKind.CONSUMER, ...(event.traceparent ? { parent: event.traceparent } : {}) },
    )
}

/**
 * For an idempotent handler run right after its event committed (an `immediate` subscription):
 * no check first, since the bus can hardly have processed an event this young and running the
 * handler twice is harmless; the record, written only once the handler resolved, makes the bus's
 * later delivery skip it.
 */
export function runThenRecord(db: Kysely<unknown>, consumer: string, handler: EventHandler) {
  return async (event: DomainEvent): Promise<void> => {
    await handler(event)
    await claimEvent(db, consumer, event.id)
  }
}

/** Deletes records older than `days` (longer than any redelivery or relay retry); returns how many. */
export async function pruneProcessed(db: Kysely<unknown>, days: number): Promise<number> {
  const result = await tables(db)
    .deleteFrom('platform.processed_event')
    .where('processed_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
