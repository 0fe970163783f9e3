import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely'
import type {
  AttemptTable,
  DeliveryTable,
  EndpointTable,
  WebhooksTables,
} from './webhooks.tables.js'

const ENDPOINT_COLUMNS = [
  'id',
  'url',
  'description',
  'events',
  'enabled',
  'secret',
  'previous_secret',
  'previous_secret_expires_at',
  'consecutive_failures',
  'disabled_reason',
  'managed_by',
  'signature_scheme',
  'created_at',
  'updated_at',
] as const

const DELIVERY_COLUMNS = [
  'id',
  'endpoint_id',
  'event_id',
  'event_type',
  'body',
  'status',
  'attempt_count',
  'next_attempt_at',
  'created_at',
  'completed_at',
  'claimed_until',
] as const

const ATTEMPT_COLUMNS = [
  'id',
  'delivery_id',
  'attempt',
  'started_at',
  'duration_ms',
  'status_code',
  'succeeded',
  'response_excerpt',
  'error',
] as const

export type WebhooksDb = Kysely<WebhooksTables>
export type EndpointRow = Selectable<EndpointTable>
export type DeliveryRow = Selectable<DeliveryTable>
export type AttemptRow = Selectable<AttemptTable>

export async function insertEndpoint(db: WebhooksDb, row: Insertable<EndpointTable>) {
  return db.insertInto('webhooks.endpoint').values(row).returningAll().executeTakeFirstOrThrow()
}

/** Creates or updates the endpoint a module keeps (its id is fixed: `whe_<owner>`). */
export async function upsertManagedEndpoint(
  db: WebhooksDb,
  row: Pick<
    Insertable<EndpointTable>,
    'id' | 'url' | 'secret' | 'managed_by' | 'signature_scheme' | 'description'
  >,
): Promise<void> {
  await db
    .insertInto('webhooks.endpoint')
    .values({
      ...row,
      events: '[]',
      previous_secret: null,
      previous_secret_expires_at: null,
      disabled_reason: null,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        url: row.url,
        secret: row.secret,
        signature_scheme: row.signature_scheme,
      }),
    )
    .execute()
}

export async function findEndpoint(db: WebhooksDb, id: string): Promise<EndpointRow | undefined> {
  return db
    .selectFrom('webhooks.endpoint')
    .select(ENDPOINT_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Newest first, by id (time-ordered, so the cursor is exact). */
export async function listEndpoints(db: WebhooksDb, beforeId: string | undefined, limit: number) {
  let query = db.selectFrom('webhooks.endpoint').select(ENDPOINT_COLUMNS)
  if (beforeId) query = query.where('id', '<', beforeId)
  return query.orderBy('id', 'desc').limit(limit).execute()
}

export async function updateEndpoint(
  db: WebhooksDb,
  id: string,
  patch: Updateable<EndpointTable>,
): Promise<EndpointRow | undefined> {
  return db
    .updateTable('webhooks.endpoint')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export async function deleteEndpoint(db: WebhooksDb, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhooks.endpoint').where('id', '=', id).executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** Enabled endpoints subscribed to this event type (or to every type). */
export async function endpointsFor(db: WebhooksDb, type: string) {
  return db
    .selectFrom('webhooks.endpoint')
    .select(['id'])
    .where('enabled', '=', true)
    .where('managed_by', 'is', null)
    .where((eb) =>
      eb.or([
        sql<boolean>`events @> ${JSON.stringify([type])}::jsonb`,
        sql<boolean>`events @> '["*"]'::jsonb`,
      ]),
    )
    .execute()
}

/** Inserts once per (endpoint, event): a redelivered event creates nothing new. */
export async function insertDeliveries(db: WebhooksDb, rows: Insertable<DeliveryTable>[]) {
  if (rows.length === 0) return
  await db
    .insertInto('webhooks.delivery')
    .values(rows)
    .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing())
    .execute()
}

/** Deliveries of an event that no attempt has touched yet (their job may not have been sent). */
export async function unattemptedDeliveries(db: WebhooksDb, eventId: string, endpointId?: string) {
  return db
    .selectFrom('webhooks.delivery')
    .select(['id'])
    .where('event_id', '=', eventId)
    .$if(endpointId !== undefined, (q) => q.where('endpoint_id', '=', endpointId!))
    .where('status', '=', 'pending')
    .where('attempt_count', '=', 0)
    .execute()
}

export async function findDelivery(db: WebhooksDb, id: string): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('webhooks.delivery')
    .select(DELIVERY_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Applies the outcome of attempt number `attempt` only if no other run recorded it first. */
export async function advanceDelivery(
  db: WebhooksDb,
  id: string,
  previousCount: number,
  patch: Updateable<DeliveryTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('webhooks.delivery')
    .set(patch)
    .where('id', '=', id)
    .where('attempt_count', '=', previousCount)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/**
 * Claims the delivery's next attempt (number `attemptCount + 1`) for `seconds`; false when it is
 * no longer pending at that count or another run holds a live claim. The claim outlives the
 * request timeout, and expires so a crashed worker's attempt is made again (at least once).
 */
export async function claimDelivery(
  db: WebhooksDb,
  id: string,
  attemptCount: number,
  seconds: number,
): Promise<boolean> {
  const result = await db
    .updateTable('webhooks.delivery')
    .set({ claimed_until: sql<Date>`now() + make_interval(secs => ${seconds})` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('attempt_count', '=', attemptCount)
    .where((eb) =>
      eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', sql<Date>`now()`)]),
    )
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function reopenDelivery(db: WebhooksDb, id: string): Promise<DeliveryRow | undefined> {
  return db
    .updateTable('webhooks.delivery')
    .set({
      status: 'pending',
      completed_at: null,
      next_attempt_at: new Date(),
      claimed_until: null,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export async function insertAttempt(db: WebhooksDb, row: Insertable<AttemptTable>) {
  await db.insertInto('webhooks.attempt').values(row).execute()
}

export async function listDeliveries(
  db: WebhooksDb,
  endpointId: string,
  beforeId: string | undefined,
  limit: number,
) {
  let query = db
    .selectFrom('webhooks.delivery')
    .select(DELIVERY_COLUMNS)
    .where('endpoint_id', '=', endpointId)
  if (beforeId) query = query.where('id', '<', beforeId)
  return query.orderBy('id', 'desc').limit(limit).execute()
}

export async function attemptsOf(db: WebhooksDb, deliveryIds: string[]): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return []
  return db
    .selectFrom('webhooks.attempt')
    .select(ATTEMPT_COLUMNS)
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('attempt')
    .execute()
}

/** Endpoints the circuit breaker switched off (a staff member's own switch-off has no reason). */
export async function countBreakerDisabled(db: WebhooksDb): Promise<number> {
  const row = await db
    .selectFrom('webhooks.endpoint')
    .select((eb) => eb.fn.countAll<number>().as('disabled'))
    .where('enabled', '=', false)
    .where('disabled_reason', 'is not', null)
    .executeTakeFirst()
  return Number(row?.disabled ?? 0)
}

/** Counts one more exhausted delivery; returns the new run of consecutive failures. */
export async function countFailure(db: WebhooksDb, endpointId: string): Promise<number> {
  const row = await db
    .updateTable('webhooks.endpoint')
    .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1) }))
    .where('id', '=', endpointId)
    .returning(['consecutive_failures'])
    .executeTakeFirst()
  return row?.consecutive_failures ?? 0
}

export async function resetFailures(db: WebhooksDb, endpointId: string): Promise<void> {
  await db
    .updateTable('webhooks.endpoint')
    .set({ consecutive_failures: 0 })
    .where('id', '=', endpointId)
    .where('consecutive_failures', '>', 0)
    .execute()
}
