import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
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

export async function nextOrderNumber(db: OrdersDb): Promise<string> {
  const { rows } = await sql<{ n: string }>`select nextval('orders.order_number_seq') as n`.execute(
    db,
  )
  return `EMP-${rows[0]!.n}`
}

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

export async function insertOrder(
  trx: Transaction<OrdersTables>,
  state: OrderState,
  tokenHash: string | null,
): Promise<void> {
  await trx
    .insertInto('orders.order')
    .values({ ...projection(state), id: state.id, number: state.number, token_hash: tokenHash })
    .execute()
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

export async function updateProjection(trx: OrdersDb, state: OrderState): Promise<void> {
  await trx.updateTable('orders.order').set(projection(state)).where('id', '=', state.id).execute()
}

export async function appendEvent(
  trx: Transaction<OrdersTables>,
  recorded: RecordedOrderEvent,
  actor: string | null,
): Promise<void> {
  await trx
    .insertInto('orders.order_event')
    .values({
      order_id: recorded.orderId,
      seq: recorded.seq,
      type: recorded.event.type,
      data: JSON.stringify(recorded.event.data),
      actor,
      created_at: recorded.at,
    })
    .execute()
}

/** The order's history in order; with `afterSeq`, only the entries after that one. */
export async function findHistory(
  db: OrdersDb,
  orderId: string,
  afterSeq = 0,
): Promise<RecordedOrderEvent[]> {
  const rows = await db
    .selectFrom('orders.order_event')
    .select(['order_id', 'seq', 'type', 'data', 'created_at'])
    .where('order_id', '=', orderId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .execute()
  return rows.map((r) => ({
    orderId: r.order_id,
    seq: r.seq,
    at: r.created_at.toISOString(),
    event: { type: r.type, data: r.data } as OrderEvent,
  }))
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
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
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
