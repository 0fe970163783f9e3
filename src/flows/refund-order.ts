import type { Logger } from 'pino'
import type { UnitOfWork } from '../platform/db/unit-of-work.js'
import type { InventoryService } from '../modules/inventory/index.js'
import type { OrdersService, RefundRows } from '../modules/orders/index.js'
import { isPaymentTimeout, type PaymentProviders } from '../modules/payments/index.js'
import type { PromotionsService } from '../modules/promotions/index.js'

export interface RefundOrderDeps {
  uow: UnitOfWork
  orders: Pick<OrdersService, 'summary' | 'adminGet'>
  refunds: RefundRows
  inventory: Pick<InventoryService, 'restock'>
  promotions: Pick<PromotionsService, 'releaseRedemption'>
  payments: PaymentProviders
  logger: Logger
}

/**
 * Refund an order (staff), a saga of three steps; cancel-order reuses steps 2 and 3.
 *
 * 1. `refunds.open`: the refund recorded pending under the order's lock, so two refunds can never
 *    exceed the payment. Compensation: `refunds.fail` when the provider refuses for good.
 * 2. The refund at the provider that took the payment (recorded on the order), outside any
 *    transaction, the refund's id as idempotency key.
 *    Compensation: none needed; a timeout or a crash leaves the refund pending and `settleStale`
 *    asks again with the same key, so the money moves once.
 * 3. One transaction: `refunds.succeed` records it in the order's history; a cancellation also
 *    gives the stock back (`inventory.restock`) and the coupon use (`promotions.releaseRedemption`).
 */
export function createRefundOrder(deps: RefundOrderDeps) {
  const { uow, orders, refunds, payments, logger } = deps

  /** Step 3: records a refund the provider has made. */
  async function finish(refundId: string): Promise<void> {
    await uow.run(async (trx, emit) => {
      const tx = { trx, emit }
      const refund = await refunds.lockPending(tx, refundId)
      if (!refund) return
      await refunds.succeed(tx, refund)
      if (refund.kind === 'cancel') {
        await deps.inventory.restock(tx, refund.orderId)
        await deps.promotions.releaseRedemption(tx, refund.orderId)
      }
    })
  }

  /** Steps 2 and 3 for a pending refund. */
  async function settle(refundId: string): Promise<void> {
    const refund = await refunds.find(refundId)
    if (!refund || refund.status !== 'pending') return
    const order = (await orders.summary(refund.orderId))!
    // A provider no longer enabled leaves the refund pending (503), not failed.
    const provider = payments.byName(order.payment.provider)
    try {
      await provider.refund({
        idempotencyKey: refundId,
        reference: order.payment.reference!,
        amount: refund.amount,
      })
    } catch (err) {
      // A definite refusal ends the refund; a timeout leaves it pending for the recovery job.
      if (!isPaymentTimeout(err)) await refunds.fail(refundId)
      throw err
    }
    await finish(refundId)
  }

  return {
    finish,
    settle,

    /** Staff refund: `amount` defaults to all that is left. */
    async refund(orderId: string, input: { amount?: number; reason?: string }, actor: string) {
      const { id } = await refunds.open(orderId, {
        kind: 'refund',
        amount: input.amount,
        reason: input.reason ?? null,
        actor,
      })
      await settle(id)
      return orders.adminGet(orderId)
    },

    /** Finishes refunds left pending by a crash or a provider timeout; returns how many settled. */
    async settleStale(olderThan: Date, limit = 100): Promise<number> {
      let settled = 0
      for (const id of await refunds.stale(olderThan, limit)) {
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

export type RefundOrder = ReturnType<typeof createRefundOrder>
