import type { Kysely, Transaction } from 'kysely'
import type { Logger } from 'pino'
import type { UnitOfWork } from '../../platform/db/unit-of-work.js'
import { isAppError } from '../../platform/errors.js'
import { newId } from '../../shared/ids.js'
import type { InventoryTx } from '../inventory/index.js'
import type { PaymentProvider } from '../payments/index.js'
import { OrderErrors } from './orders.errors.js'
import * as repo from './orders.repo.js'
import type { OrderCaller, OrdersService, OrdersTx } from './orders.service.js'
import { invalidTransition, type OrderState } from './orders.state.js'
import type { OrdersTables, RefundTable } from './orders.tables.js'

export interface OrderRefundsDeps {
  db: Kysely<OrdersTables>
  uow: UnitOfWork
  orders: OrdersService
  provider: PaymentProvider
  inventory: { restock(tx: InventoryTx, reference: string): Promise<unknown> }
  promotions: { releaseRedemption(tx: OrdersTx, orderId: string): Promise<void> }
  logger: Logger
}

interface RefundRequest {
  kind: RefundTable['kind']
  amount: number | undefined
  reason: string | null
  actor: string | null
}

const ordersTrx = (t: Transaction<unknown>) => t as unknown as Transaction<OrdersTables>

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
 * Refunds and cancellations of paid orders. Each one is three steps: record the refund as pending
 * under the order's lock (so two refunds can never exceed the payment), ask the provider with the
 * refund's id as idempotency key (outside any transaction), then record the outcome in the
 * order's history. A crash between the steps leaves a pending refund that `settleStale` finishes
 * with the same key: the money moves once.
 */
export function createOrderRefunds(deps: OrderRefundsDeps) {
  const { db, uow, orders, provider, logger } = deps

  async function start(orderId: string, request: RefundRequest): Promise<string> {
    return uow.run(async (t) => {
      const trx = ordersTrx(t)
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
      return id
    })
  }

  /** Records a refund the provider has made: the order's history and, for a cancel, the stock. */
  async function finish(refundId: string): Promise<void> {
    await uow.run(async (t, emit) => {
      const trx = ordersTrx(t)
      const refund = await repo.lockRefund(trx, refundId)
      if (!refund || refund.status !== 'pending') return
      const tx = { trx: t, emit }
      const amount = Number(refund.amount)
      if (refund.kind === 'refund') {
        await orders.record(
          tx,
          refund.order_id,
          { type: 'order.refunded', data: { refundId, amount, reason: refund.reason } },
          refund.actor,
        )
      } else {
        await orders.record(
          tx,
          refund.order_id,
          {
            type: 'order.cancelled',
            data: {
              reason: refund.reason ?? 'cancelled',
              refunded: amount,
              paymentStatus: 'refunded',
            },
          },
          refund.actor,
        )
        await deps.inventory.restock(tx, refund.order_id)
        await deps.promotions.releaseRedemption(tx, refund.order_id)
      }
      await repo.setRefundStatus(trx, refundId, 'succeeded')
    })
  }

  async function settle(refundId: string): Promise<void> {
    const refund = await repo.findRefund(db, refundId)
    if (!refund || refund.status !== 'pending') return
    const state = (await orders.getState(refund.order_id))!
    try {
      await provider.refund({
        idempotencyKey: refundId,
        reference: state.payment.reference!,
        amount: Number(refund.amount),
      })
    } catch (err) {
      // A definite refusal ends the refund; a timeout leaves it pending for the recovery job.
      if (isAppError(err) && err.code !== 'payment_timeout')
        await repo.setRefundStatus(db, refundId, 'failed')
      throw err
    }
    await finish(refundId)
  }

  return {
    /** Staff refund: `amount` defaults to all that is left. */
    async refund(orderId: string, input: { amount?: number; reason?: string }, actor: string) {
      const id = await start(orderId, {
        kind: 'refund',
        amount: input.amount,
        reason: input.reason ?? null,
        actor,
      })
      await settle(id)
      return orders.adminGet(orderId)
    },

    /** The customer cancels a paid, unfulfilled order: refunded in full, stock restored. */
    async cancel(caller: OrderCaller, orderId: string) {
      await orders.assertVisible(caller, orderId)
      const id = await start(orderId, {
        kind: 'cancel',
        amount: undefined,
        reason: 'customer_request',
        actor: caller.customerId ?? 'guest',
      })
      const refund = await repo.findRefund(db, id)
      if (Number(refund!.amount) === 0) await finish(id)
      else await settle(id)
      return orders.getForCaller(caller, orderId)
    },

    /** Finishes refunds left pending by a crash or a provider timeout; returns how many settled. */
    async settleStale(olderThan: Date, limit = 100): Promise<number> {
      let settled = 0
      for (const { id } of await repo.findStalePendingRefunds(db, olderThan, limit)) {
        try {
          await settle(id)
          settled++
        } catch (err) {
          logger.warn({ err, refundId: id }, 'refund still pending')
        }
      }
      return settled
    },
  }
}

export type OrderRefunds = ReturnType<typeof createOrderRefunds>
