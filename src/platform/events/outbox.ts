import {
  sql,
  type ColumnType,
  type Generated,
  type Kysely,
  type Selectable,
  type Transaction,
} from 'kysely'
import { newId } from '../../shared/ids.js'
import { currentTraceparent } from '../telemetry/tracing.js'
import type { DomainEvent, NewEvent } from './types.js'

export interface OutboxTable {
  position: Generated<number>
  id: string
  type: string
  aggregate_type: string
  aggregate_id: string
  payload: ColumnType<unknown, string, string>
  occurred_at: Generated<Date>
  lease_until: Date | null
  attempts: Generated<number>
  published_at: Date | null
  traceparent: string | null
}
type OutboxRow = Selectable<OutboxTable>

interface OutboxTables {
  'platform.outbox': OutboxTable
}

/**
 * Records events in the caller's transaction, so an event exists if and only if the change that
 * caused it committed. Call it with the same `trx` that writes the change. Returns the events as
 * they were recorded (ids included; `occurredAt` is this process's clock, the row has the
 * database's).
 */
export async function appendEvents(
  trx: Transaction<unknown>,
  events: NewEvent[],
): Promise<DomainEvent[]> {
  if (events.length === 0) return []
  const occurredAt = new Date().toISOString()
  const traceparent = currentTraceparent()
  const recorded = events.map((e) => ({
    ...e,
    id: newId('evt'),
    occurredAt,
    ...(traceparent ? { traceparent } : {}),
  }))
  await (trx as unknown as Transaction<OutboxTables>)
    .insertInto('platform.outbox')
    .values(
      recorded.map((e) => ({
        id: e.id,
        type: e.type,
        aggregate_type: e.aggregateType,
        aggregate_id: e.aggregateId,
        payload: JSON.stringify(e.payload),
        traceparent: traceparent ?? null,
      })),
    )
    .execute()
  return recorded
}

function toEvent(row: OutboxRow): DomainEvent {
  return {
    id: row.id,
    type: row.type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    payload: row.payload as Record<string, unknown>,
    occurredAt: row.occurred_at.toISOString(),
    ...(row.traceparent ? { traceparent: row.traceparent } : {}),
  }
}

/** An event leased for publishing, with how many times it has been leased (this one included). */
export interface LeasedEvent {
  event: DomainEvent
  attempts: number
}

/**
 * Leases the oldest unpublished events for `leaseSeconds`. SKIP LOCKED plus the lease lets several
 * relays share the table; a relay that dies loses its lease and another picks the events up.
 */
export async function leasePending(
  db: Kysely<unknown>,
  limit: number,
  leaseSeconds: number,
): Promise<LeasedEvent[]> {
  const result = await sql<OutboxRow>`
    update platform.outbox set lease_until = now() + make_interval(secs => ${leaseSeconds}),
      attempts = attempts + 1
    where position in (
      select position from platform.outbox
      where published_at is null and (lease_until is null or lease_until < now())
      order by position limit ${limit} for update skip locked)
    returning *`.execute(db)
  return result.rows
    .sort((a, b) => Number(a.position) - Number(b.position))
    .map((row) => ({ event: toEvent(row), attempts: Number(row.attempts) }))
}

/** The delay before a failed event is tried again: `base` doubling per attempt, at most an hour. */
export function retryDelaySeconds(attempts: number, base = 5): number {
  return Math.min(3600, base * 2 ** Math.min(Math.max(attempts - 1, 0), 10))
}

/**
 * Holds events back for `delaySeconds`: a failed event and the later events of its aggregate,
 * all with the same lease, so they are tried again together and in order.
 */
export async function deferEvents(
  db: Kysely<unknown>,
  ids: string[],
  delaySeconds: number,
): Promise<void> {
  if (ids.length === 0) return
  await (db as unknown as Kysely<OutboxTables>)
    .updateTable('platform.outbox')
    .set({ lease_until: sql<Date>`now() + make_interval(secs => ${delaySeconds})` })
    .where('id', 'in', ids)
    .execute()
}

export async function markPublished(db: Kysely<unknown>, ids: string[]): Promise<void> {
  if (ids.length === 0) return
  await (db as unknown as Kysely<OutboxTables>)
    .updateTable('platform.outbox')
    .set({ published_at: sql<Date>`now()`, lease_until: null })
    .where('id', 'in', ids)
    .execute()
}

/** Deletes published rows older than `days`; returns how many went. */
export async function prunePublished(db: Kysely<unknown>, days: number): Promise<number> {
  const result = await (db as unknown as Kysely<OutboxTables>)
    .deleteFrom('platform.outbox')
    .where('published_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
