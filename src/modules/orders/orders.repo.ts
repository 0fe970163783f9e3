import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import { containsPattern } from '../../platform/db/like.js'
import type { OrderEvent, OrderState, OrderStatus, RecordedOrderEvent } from './orders.state.js'
import type { OrdersTables, RefundStatus, RefundTable } from './orders.tables.js'

export type OrdersDb = Kysely<OrdersTables> | Transaction<OrdersTables>
export type OrderRow = Selectable<OrdersTables['orders.order']>
export type RefundRow = Selectable<RefundTable>

const ORDER_COLUMNS = [
  'id',
  'number',
  'status',
  'customer_id',
  'email',
  'token_hash',
  'currency',
  'total',
  'state',
  'version',
  'created_at',
  'updated_at',
] as const

const REFUND_COLUMNS = [
  'id',
  'order_id',
  'kind',
  'amount',
  'reason',
  'status',
  'actor',
  'attempts',
  'created_at',
  'updated_at',
] as const

/** Reads and locks an order's row: every change to one order goes through this lock. */
export function lockOrder(trx: Transaction<OrdersTables>, id: string) {
  return trx
    .selectFrom('orders.order')
    .select(ORDER_COLUMNS)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export function findOrder(db: OrdersDb, id: string) {
  return db.selectFrom('orders.order').select(ORDER_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/**
 * Creates the order row and its first history entry in one statement, drawing the order number
 * from the sequence inside it: `state` and `recorded` carry any placeholder number, the stored
 * JSON gets the drawn one, which is returned.
 */
export async function insertOrder(
  trx: Transaction<OrdersTables>,
  state: OrderState,
  recorded: RecordedOrderEvent,
  actor: string | null,
  tokenHash: string | null,
): Promise<string> {
  const p = projection(state)
  const number = sql`(select number from n)`
  const { rows } = await sql<{ number: string }>`
    with n as (select 'EMP-' || nextval('orders.order_number_seq') as number),
    o as (
      insert into orders.order (id, number, token_hash, status, customer_id, email, currency,
        total, state, version, created_at, updated_at)
      values (${state.id}, ${number}, ${tokenHash}, ${p.status}, ${p.customer_id}, ${p.email},
        ${p.currency}, ${p.total}, jsonb_set(${p.state}::jsonb, '{number}', to_jsonb(${number})),
        ${p.version}, ${p.created_at}, ${p.updated_at})
    ),
    e as (
      insert into orders.order_event (order_id, seq, type, data, actor, created_at)
      values (${recorded.orderId}, ${recorded.seq}, ${recorded.event.type},
        jsonb_set(${JSON.stringify(recorded.event.data)}::jsonb, '{number}', to_jsonb(${number})),
        ${actor}, ${recorded.at})
    )
    select number from n`.execute(trx)
  return rows[0]!.number
}

function projection(state: OrderState) {
  return {
    status: state.status,
    customer_id: state.customerId,
    email: state.email,
    currency: state.currency,
    total: state.totals.total,
    state: JSON.stringify(state),
    version: state.version,
    created_at: state.createdAt,
    updated_at: state.updatedAt,
  }
}

/** Appends one history entry and writes the projection it leads to, in one statement. */
export async function appendChange(
  trx: Transaction<OrdersTables>,
  recorded: RecordedOrderEvent,
  actor: string | null,
  state: OrderState,
): Promise<void> {
  await trx
    .with('e', (db) =>
      db.insertInto('orders.order_event').values({
        order_id: recorded.orderId,
        seq: recorded.seq,
        type: recorded.event.type,
        data: JSON.stringify(recorded.event.data),
        actor,
        created_at: recorded.at,
      }),
    )
    .updateTable('orders.order')
    .set(projection(state))
    .where('id', '=', state.id)
    .execute()
}

const HISTORY_COLUMNS = ['order_id', 'seq', 'type', 'data', 'created_at'] as const

function toRecorded(r: {
  order_id: string
  seq: number
  type: string
  data: unknown
  created_at: Date | string
}): RecordedOrderEvent {
  return {
    orderId: r.order_id,
    seq: r.seq,
    at: new Date(r.created_at).toISOString(),
    event: { type: r.type, data: r.data } as OrderEvent,
  }
}

/** The order's history in order; with `afterSeq`, only the entries after that one. */
export async function findHistory(
  db: OrdersDb,
  orderId: string,
  afterSeq = 0,
): Promise<RecordedOrderEvent[]> {
  const rows = await db
    .selectFrom('orders.order_event')
    .select(HISTORY_COLUMNS)
    .where('order_id', '=', orderId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .execute()
  return rows.map(toRecorded)
}

/** The histories of several orders in one statement, by order id. */
export async function findHistories(
  db: OrdersDb,
  orderIds: string[],
): Promise<Map<string, RecordedOrderEvent[]>> {
  const byId = new Map(orderIds.map((id) => [id, [] as RecordedOrderEvent[]]))
  if (orderIds.length === 0) return byId
  const rows = await db
    .selectFrom('orders.order_event')
    .select(HISTORY_COLUMNS)
    .where('order_id', 'in', orderIds)
    .orderBy('order_id')
    .orderBy('seq')
    .execute()
  for (const r of rows) byId.get(r.order_id)?.push(toRecorded(r))
  return byId
}

/** The order and its history in one statement. */
export async function findOrderWithHistory(db: OrdersDb, id: string) {
  const row = await db
    .selectFrom('orders.order as o')
    .select(ORDER_COLUMNS)
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('orders.order_event as e')
          .select(HISTORY_COLUMNS)
          .whereRef('e.order_id', '=', 'o.id')
          .orderBy('e.seq'),
      ).as('history'),
    )
    .where('o.id', '=', id)
    .executeTakeFirst()
  return row && { ...row, history: row.history.map(toRecorded) }
}

export interface OrderFilter {
  customerId?: string
  status?: OrderStatus
  email?: string
  /** Matches the order number or the email, case-insensitively. */
  q?: string
  createdFrom?: Date
  createdTo?: Date
  /** Keyset: rows strictly before this (created_at, id), newest first. */
  before?: { createdAt: Date; id: string }
  limit: number
}

export function listOrders(db: OrdersDb, filter: OrderFilter) {
  let query = db.selectFrom('orders.order').select(ORDER_COLUMNS)
  if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId)
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.email) query = query.where('email', '=', filter.email.toLowerCase())
  if (filter.q) {
    const like = containsPattern(filter.q)
    query = query.where((eb) => eb.or([eb('number', 'ilike', like), eb('email', 'ilike', like)]))
  }
  if (filter.createdFrom) query = query.where('created_at', '>=', filter.createdFrom)
  if (filter.createdTo) query = query.where('created_at', '<', filter.createdTo)
  if (filter.before) {
    const { createdAt, id } = filter.before
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    )
  }
  return query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute()
}

/** Orders still awaiting payment that were created before `olderThan`, oldest first. */
/** A paid, fulfilled or delivered order of the customer with a line of the product. */
export async function hasPaidOrderWithProduct(
  db: OrdersDb,
  customerId: string,
  productId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('orders.order')
    .select('id')
    .where('customer_id', '=', customerId)
    .where('status', 'in', ['paid', 'fulfilled', 'delivered'])
    .where(sql<boolean>`state->'items' @> ${JSON.stringify([{ productId }])}::jsonb`)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

export function findAwaitingPayment(db: OrdersDb, olderThan: Date, limit: number) {
  return db
    .selectFrom('orders.order')
    .select('id')
    .where('status', '=', 'pending_payment')
    .where('created_at', '<', olderThan)
    .orderBy('created_at')
    .limit(limit)
    .execute()
}

export async function insertRefund(
  trx: Transaction<OrdersTables>,
  refund: Pick<RefundRow, 'id' | 'order_id' | 'kind' | 'amount' | 'reason' | 'actor'>,
): Promise<void> {
  await trx.insertInto('orders.refund').values(refund).execute()
}

export function pendingRefundTotal(trx: OrdersDb, orderId: string) {
  return trx
    .selectFrom('orders.refund')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), sql<number>`0`).as('amount'))
    .where('order_id', '=', orderId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow()
}

export function findRefund(db: OrdersDb, id: string) {
  return db
    .selectFrom('orders.refund')
    .select(REFUND_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst()
}

export function lockRefund(trx: Transaction<OrdersTables>, id: string) {
  return trx
    .selectFrom('orders.refund')
    .select(REFUND_COLUMNS)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export async function setRefundStatus(
  trx: OrdersDb,
  id: string,
  status: RefundStatus,
): Promise<void> {
  await trx
    .updateTable('orders.refund')
    .set((eb) => ({ status, updated_at: new Date(), attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute()
}

export function findStalePendingRefunds(db: OrdersDb, olderThan: Date, limit: number) {
  return db
    .selectFrom('orders.refund')
    .select('id')
    .where('status', '=', 'pending')
    .where('created_at', '<', olderThan)
    .orderBy('created_at')
    .limit(limit)
    .execute()
}

export async function hasPendingCancel(db: OrdersDb, orderId: string): Promise<boolean> {
  const row = await db
    .selectFrom('orders.refund')
    .select('id')
    .where('order_id', '=', orderId)
    .where('kind', '=', 'cancel')
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return row !== undefined
}
