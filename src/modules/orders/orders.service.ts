import type { Kysely } from 'kysely'
import { sha256, tokenMatches } from '../../platform/crypto.js'
import { narrow, type Tx, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import { CommonErrors } from '../../platform/errors.js'
import { decodeCursorOrThrow, toPage, type Page } from '../../platform/pagination.js'
import type { Metrics } from '../../platform/telemetry/metrics.js'
import { newId } from '../../shared/ids.js'
import { OrderErrors } from './orders.errors.js'
import { orderDomainEvent } from './orders.events.js'
import { statusesAfter, toOrder } from './orders.mappers.js'
import * as repo from './orders.repo.js'
import type { Order } from './orders.schema.js'
import {
  applyOrderEvent,
  replayOrder,
  type OrderCreatedData,
  type OrderEvent,
  type OrderState,
  type OrderStatus,
} from './orders.state.js'
import type { OrdersTables } from './orders.tables.js'

/**
 * What a workflow needs to know of an order: small on purpose, so that neither the stored
 * projection (`OrderState`) nor the REST view is the flows' API.
 */
export interface OrderSummary {
  id: string
  status: OrderStatus
  cartId: string | null
  currency: string
  total: number
  createdAt: string
  /** `provider`: the payment provider that took the payment; refunds go back to it. */
  payment: { provider: string; amount: number; refunded: number; reference: string | null }
}

function summaryOf(state: OrderState): OrderSummary {
  return {
    id: state.id,
    status: state.status,
    cartId: state.cartId,
    currency: state.currency,
    total: state.totals.total,
    createdAt: state.createdAt,
    payment: {
      provider: state.payment.provider,
      amount: state.payment.amount,
      refunded: state.payment.refunded,
      reference: state.payment.reference,
    },
  }
}

/** A signed-in customer sees their orders; a guest sees one order with its `X-Order-Token`. */
export interface OrderCaller {
  customerId: string | null
  token: string | undefined
}

export type NewOrder = Omit<OrderCreatedData, 'number'> & { id: string; guestToken: string | null }

export interface ListQuery {
  limit?: number
  cursor?: string
}

export interface AdminListQuery extends ListQuery {
  status?: OrderStatus
  email?: string
  q?: string
  createdFrom?: string
  createdTo?: string
}

export function createOrdersService(deps: {
  db: Kysely<OrdersTables>
  uow: UnitOfWork
  /** `emporium_orders_total{status}`: counted as the change is recorded in its transaction. */
  metrics?: Pick<Metrics, 'orders'>
}) {
  const { db, uow } = deps
  const reached = (status: OrderStatus) => deps.metrics?.orders.inc({ status })
  // The state behind each summary `lockState` handed out: `record` then reuses the lock it holds.
  const held = new WeakMap<OrderSummary, OrderState>()

  async function lock(tx: Tx, orderId: string): Promise<OrderState> {
    const row = await repo.lockOrder(narrow<OrdersTables>(tx), orderId)
    if (!row) throw OrderErrors.notFound(orderId)
    return row.state
  }

  async function lockSummary(tx: Tx, orderId: string): Promise<OrderSummary> {
    const state = await lock(tx, orderId)
    const summary = summaryOf(state)
    held.set(summary, state)
    return summary
  }

  /**
   * Appends one change to the history and updates the projection, under the order's lock: given
   * the summary `lockState` returned in this same transaction, the row is not locked again.
   */
  async function record(
    tx: Tx,
    order: string | OrderSummary,
    event: Exclude<OrderEvent, { type: 'order.created' }>,
    actor: string | null,
  ): Promise<OrderSummary> {
    const trx = narrow<OrdersTables>(tx)
    const orderId = typeof order === 'string' ? order : order.id
    const state =
      (typeof order === 'string' ? undefined : held.get(order)) ?? (await lock(tx, orderId))
    const recorded = { orderId, seq: state.version + 1, at: new Date().toISOString(), event }
    const next = applyOrderEvent(state, recorded)
    await repo.appendChange(trx, recorded, actor, next)
    if (next.status !== state.status) reached(next.status)
    const domain = orderDomainEvent(next, event)
    if (domain) tx.emit(domain)
    return summaryOf(next)
  }

  async function view(id: string, staff: boolean): Promise<Order> {
    const row = await repo.findOrderWithHistory(db, id)
    if (!row) throw OrderErrors.notFound(id)
    return toOrder(row.state, row.history, staff)
  }

  async function page(
    filter: Omit<repo.OrderFilter, 'before' | 'limit'>,
    query: ListQuery,
    staff: boolean,
  ) {
    const limit = query.limit ?? 20
    let before: repo.OrderFilter['before']
    if (query.cursor) {
      const [createdAt, id] = decodeCursorOrThrow(query.cursor, 2) as [string, string]
      before = { createdAt: new Date(createdAt), id }
    }
    const rows = await repo.listOrders(db, { ...filter, before, limit })
    const byId = await repo.findHistories(
      db,
      rows.slice(0, limit).map((r) => r.id),
    )
    return toPage(
      rows,
      limit,
      (r) => toOrder(r.state, byId.get(r.id)!, staff),
      (r) => [r.created_at.toISOString(), r.id],
    )
  }

  const date = (value: string | undefined, path: string) => {
    if (value === undefined) return undefined
    const d = new Date(value)
    if (Number.isNaN(d.getTime()))
      throw CommonErrors.validation([{ path, message: 'must be a date-time' }])
    return d
  }

  /** A staff change in its own transaction; nothing ships while a cancellation is refunding. */
  async function staffChange(
    orderId: string,
    event: Exclude<OrderEvent, { type: 'order.created' }>,
    actor: string,
  ): Promise<Order> {
    await uow.run(async (trx, emit) => {
      const tx = { trx, emit }
      let order: string | OrderSummary = orderId
      if (event.type === 'order.fulfilled') {
        // Under the order's lock, as the cancellation takes it: one of the two sees the other.
        order = await lockSummary(tx, orderId)
        if (await repo.hasPendingCancel(narrow<OrdersTables>(tx), orderId))
          throw OrderErrors.refundInProgress(orderId)
      }
      await record(tx, order, event, actor)
    })
    return view(orderId, true)
  }

  return {
    record,

    /** Creates the order in `pending_payment` inside the checkout's transaction. */
    async create(tx: Tx, input: NewOrder): Promise<OrderSummary> {
      const trx = narrow<OrdersTables>(tx)
      const { id, guestToken, ...data } = input
      // The number comes from the sequence inside the insert: the row is written with it, the
      // state and event returned here get it after.
      const draft = {
        orderId: id,
        seq: 1,
        at: new Date().toISOString(),
        event: { type: 'order.created' as const, data: { ...data, number: '' } },
      }
      const drafted = applyOrderEvent(undefined, draft)
      const tokenHash = guestToken ? sha256(guestToken) : null
      const number = await repo.insertOrder(
        trx,
        drafted,
        draft,
        data.customerId ?? 'guest',
        tokenHash,
      )
      const event = { ...draft.event, data: { ...data, number } }
      const state: OrderState = { ...drafted, number }
      tx.emit(orderDomainEvent(state, event)!)
      reached(state.status)
      return summaryOf(state)
    },

    /** The order under its row lock, inside the caller's transaction; pass it on to `record`. */
    lockState: lockSummary,

    /** The order as a workflow needs it, read without a lock. */
    async summary(orderId: string): Promise<OrderSummary | undefined> {
      const row = await repo.findOrder(db, orderId)
      return row && summaryOf(row.state)
    },

    /** The order as its owner sees it, for a caller that has already proved ownership. */
    ownerView: (orderId: string) => view(orderId, false),

    async getState(orderId: string): Promise<OrderState | undefined> {
      return (await repo.findOrder(db, orderId))?.state
    },

    /** The order for its owner: the customer's own, or a guest order with its token; else 404. */
    async getForCaller(caller: OrderCaller, orderId: string): Promise<Order> {
      await this.assertVisible(caller, orderId)
      return view(orderId, false)
    },

    async assertVisible(caller: OrderCaller, orderId: string): Promise<OrderState> {
      const row = await repo.findOrder(db, orderId)
      const visible =
        row &&
        (row.customer_id !== null
          ? row.customer_id === caller.customerId
          : tokenMatches(caller.token, row.token_hash))
      if (!row || !visible) throw OrderErrors.notFound(orderId)
      return row.state
    },

    listForCustomer: (customerId: string, query: ListQuery): Promise<Page<Order>> =>
      page({ customerId }, query, false),

    adminGet: (orderId: string) => view(orderId, true),

    adminList: (query: AdminListQuery): Promise<Page<Order>> =>
      page(
        {
          ...(query.status ? { status: query.status } : {}),
          ...(query.email ? { email: query.email } : {}),
          ...(query.q ? { q: query.q } : {}),
          ...(query.createdFrom
            ? { createdFrom: date(query.createdFrom, '/query/createdFrom')! }
            : {}),
          ...(query.createdTo ? { createdTo: date(query.createdTo, '/query/createdTo')! } : {}),
        },
        query,
        true,
      ),

    fulfil: (orderId: string, body: { trackingNumber?: string; carrier?: string }, actor: string) =>
      staffChange(
        orderId,
        {
          type: 'order.fulfilled',
          data: {
            id: newId('ful'),
            trackingNumber: body.trackingNumber ?? null,
            carrier: body.carrier ?? null,
            at: new Date().toISOString(),
          },
        },
        actor,
      ),

    deliver: (orderId: string, actor: string) =>
      staffChange(orderId, { type: 'order.delivered', data: {} }, actor),

    addNote: (orderId: string, text: string, actor: string) =>
      staffChange(
        orderId,
        {
          type: 'order.note_added',
          data: { id: newId('note'), text, author: actor, at: new Date().toISOString() },
        },
        actor,
      ),

    /** Status changes after `afterSeq` (notes stay internal): what the order's SSE stream sends. */
    async changesAfter(orderId: string, afterSeq: number) {
      // The idle poll is this one query on the tail; the fold below runs only when there is news.
      const fresh = await repo.findHistory(db, orderId, afterSeq)
      if (fresh.length === 0) return []
      const statuses = statusesAfter(await repo.findHistory(db, orderId))
      return fresh
        .filter((h) => h.event.type !== 'order.note_added')
        .map((h) => ({ seq: h.seq, type: h.event.type, at: h.at, status: statuses.get(h.seq)! }))
    },

    /** The stored projection and the state replayed from the history: they must be equal. */
    async rebuild(orderId: string): Promise<{ stored: OrderState; replayed: OrderState }> {
      const row = await repo.findOrder(db, orderId)
      if (!row) throw OrderErrors.notFound(orderId)
      return { stored: row.state, replayed: replayOrder(await repo.findHistory(db, orderId))! }
    },

    /**
     * Whether the customer has an order that was paid (paid, fulfilled or delivered: not
     * cancelled, refunded or awaiting payment) with a line of this product: a verified purchase.
     */
    async hasPaidOrderWithProduct(customerId: string, productId: string): Promise<boolean> {
      return repo.hasPaidOrderWithProduct(db, customerId, productId)
    },

    /** Orders still awaiting payment, created before `olderThan`: the reconciliation's work list. */
    async awaitingPayment(olderThan: Date, limit: number): Promise<string[]> {
      return (await repo.findAwaitingPayment(db, olderThan, limit)).map((r) => r.id)
    },
  }
}

export type OrdersService = ReturnType<typeof createOrdersService>
