import type { Kysely } from 'kysely'
import { narrow, type Tx, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import { newId } from '../../shared/ids.js'
import { OrderErrors } from './orders.errors.js'
import * as repo from './orders.repo.js'
import type { OrderSummary, OrdersService } from './orders.service.js'
import { invalidTransition, type OrderState } from './orders.state.js'
import type { OrdersTables, RefundStatus, RefundTable } from './orders.tables.js'

export interface RefundRequest {
  kind: RefundTable['kind']
  /** Undefined: all that is left of the payment. */
  amount: number | undefined
  reason: string | null
  actor: string | null
}

/** A refund row as the refund and cancel flows see it. */
export interface Refund {
  id: string
  orderId: string
  kind: RefundTable['kind']
  amount: number
  reason: string | null
  actor: string | null
  status: RefundStatus
}

const toRefund = (row: repo.RefundRow): Refund => ({
  id: row.id,
  orderId: row.order_id,
  kind: row.kind,
  amount: Number(row.amount),
  reason: row.reason,
  actor: row.actor,
  status: row.status,
})

function guard(state: OrderState, kind: RefundTable['kind'], pendingCancel: boolean) {
  if (pendingCancel) throw OrderErrors.refundInProgress(state.id)
  if (kind === 'cancel') {
    if (state.status === 'pending_payment') throw OrderErrors.paymentPending(state.id)
    if (state.status !== 'paid') throw invalidTransition(state.status, 'order.cancelled')
  } else if (!['paid', 'fulfilled', 'delivered'].includes(state.status)) {
    throw invalidTransition(state.status, 'order.refunded')
  }
}

/**
 * The order's refund rows: a refund is recorded pending under the order's lock (so two refunds
 * can never exceed the payment) before anyone asks the provider, and finished in the history.
 */
export function createRefundRows(deps: {
  db: Kysely<OrdersTables>
  uow: UnitOfWork
  orders: Pick<OrdersService, 'record'>
}) {
  const { db, uow, orders } = deps

  return {
    /** Records a pending refund of what is left (or `amount`); throws when it is not allowed. */
    async open(orderId: string, request: RefundRequest): Promise<Refund> {
      return uow.run(async (t) => {
        const trx = narrow<OrdersTables>(t)
        const row = await repo.lockOrder(trx, orderId)
        if (!row) throw OrderErrors.notFound(orderId)
        const state = row.state
        guard(state, request.kind, await repo.hasPendingCancel(trx, orderId))
        const pending = Number((await repo.pendingRefundTotal(trx, orderId)).amount)
        const left = state.payment.amount - state.payment.refunded - pending
        const amount = request.amount ?? left
        if (amount > left || (request.kind === 'refund' && amount <= 0))
          throw OrderErrors.nothingToRefund(left)
        const id = newId('rfd')
        await repo.insertRefund(trx, { id, order_id: orderId, ...request, amount })
        return { id, orderId, ...request, amount, status: 'pending' as const }
      })
    },

    async find(refundId: string): Promise<Refund | undefined> {
      const row = await repo.findRefund(db, refundId)
      return row && toRefund(row)
    },

    /** The refund under its lock if it is still pending, inside the caller's transaction. */
    async lockPending(tx: Tx, refundId: string): Promise<Refund | undefined> {
      const row = await repo.lockRefund(narrow<OrdersTables>(tx), refundId)
      return row?.status === 'pending' ? toRefund(row) : undefined
    },

    /** The provider refused: the refund ends without touching the order. */
    async fail(refundId: string): Promise<void> {
      await repo.setRefundStatus(db, refundId, 'failed')
    },

    /**
     * The provider paid the money back: the order's history records it (a cancel cancels the
     * order) and the refund succeeds, in the caller's transaction.
     */
    async succeed(tx: Tx, refund: Refund): Promise<OrderSummary> {
      const event =
        refund.kind === 'refund'
          ? ({
              type: 'order.refunded',
              data: { refundId: refund.id, amount: refund.amount, reason: refund.reason },
            } as const)
          : ({
              type: 'order.cancelled',
              data: {
                reason: refund.reason ?? 'cancelled',
                refunded: refund.amount,
                paymentStatus: 'refunded',
              },
            } as const)
      const order = await orders.record(tx, refund.orderId, event, refund.actor)
      await repo.setRefundStatus(narrow<OrdersTables>(tx), refund.id, 'succeeded')
      return order
    },

    /** Refunds left pending by a crash or a provider timeout before `olderThan`. */
    async stale(olderThan: Date, limit: number): Promise<string[]> {
      return (await repo.findStalePendingRefunds(db, olderThan, limit)).map((r) => r.id)
    },
  }
}

export type RefundRows = ReturnType<typeof createRefundRows>
