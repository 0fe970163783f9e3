import type { Logger } from 'pino'
import type { UnitOfWork } from '../platform/db/unit-of-work.js'
import { isAppError } from '../platform/errors.js'
import type { CartsService } from '../modules/carts/index.js'
import { isReservationReleased, type InventoryService } from '../modules/inventory/index.js'
import type { OrdersService } from '../modules/orders/index.js'
import type { PaymentProvider, ProviderPayment } from '../modules/payments/index.js'
import type { PromotionsService } from '../modules/promotions/index.js'

export interface SettleDeps {
  uow: UnitOfWork
  orders: Pick<OrdersService, 'lockState' | 'record' | 'summary' | 'awaitingPayment'>
  inventory: Pick<InventoryService, 'commit' | 'release'>
  promotions: Pick<PromotionsService, 'releaseRedemption'>
  carts: Pick<CartsService, 'reopen'>
  provider: PaymentProvider
  logger: Logger
}

export type Settlement = 'paid' | 'cancelled' | 'already_settled'

/**
 * Settle a payment: the place-order saga's second half, shared by checkout, the payment webhook
 * and the reconciliation job. Given what the provider says about an order's payment, finish the
 * order exactly once. Every step re-reads the order under its lock and does nothing if it is no
 * longer awaiting payment, so checkout, the job and a retry can race without doing anything twice.
 *
 * - `complete` (one transaction): `orders.lockState`, `inventory.commit`, `orders.record` paid.
 *   Compensation when the hold lapsed: `reverse` the payment, then `compensate`.
 * - `compensate` (one transaction): `orders.record` cancelled, `inventory.release`,
 *   `promotions.releaseRedemption`, `carts.reopen`: undoes place-order's transaction.
 * - `reverse`: the provider's void or refund, for money that arrived after the order was settled.
 */
export function createSettlement(deps: SettleDeps) {
  const { uow, orders, inventory, provider, logger } = deps

  /** Cancels an order awaiting payment and gives back its stock, coupon use and cart. */
  async function compensate(
    orderId: string,
    reason: string,
    paymentStatus: 'declined' | 'voided' | 'refunded',
  ): Promise<Settlement> {
    return uow.run(async (trx, emit) => {
      const tx = { trx, emit }
      const order = await orders.lockState(tx, orderId)
      if (order.status !== 'pending_payment') return 'already_settled'
      const refunded = paymentStatus === 'refunded' ? order.payment.amount : 0
      await orders.record(
        tx,
        order,
        { type: 'order.cancelled', data: { reason, refunded, paymentStatus } },
        'system',
      )
      await inventory.release(tx, orderId)
      await deps.promotions.releaseRedemption(tx, orderId)
      if (order.cartId) await deps.carts.reopen(tx, order.cartId)
      return 'cancelled'
    })
  }

  /** Marks the order paid and sells its reserved stock; 'stock_expired' when the hold lapsed. */
  async function complete(orderId: string, reference: string) {
    return uow.run(async (trx, emit) => {
      const tx = { trx, emit }
      const order = await orders.lockState(tx, orderId)
      if (order.status !== 'pending_payment')
        return order.status === 'cancelled'
          ? ('was_cancelled' as const)
          : ('already_settled' as const)
      try {
        await inventory.commit(tx, orderId)
      } catch (err) {
        // Thrown before any SQL failed, so the transaction is still usable (and commits nothing).
        if (isReservationReleased(err)) return 'stock_expired' as const
        throw err
      }
      await orders.record(tx, order, { type: 'order.paid', data: { reference } }, 'system')
      return 'paid' as const
    })
  }

  /** Gives money back for a payment that arrived after its order was settled otherwise. */
  async function reverse(orderId: string, payment: ProviderPayment): Promise<void> {
    const left = payment.amount - payment.refunded
    if (payment.status === 'authorized') await provider.void(payment.reference)
    else if (payment.status === 'captured' && left > 0)
      await provider.refund({
        idempotencyKey: `${orderId}:reversal`,
        reference: payment.reference,
        amount: left,
      })
    logger.warn({ orderId, reference: payment.reference }, 'late payment reversed')
  }

  async function settle(orderId: string, found: ProviderPayment | undefined): Promise<Settlement> {
    if (!found) return compensate(orderId, 'payment_not_completed', 'voided')
    if (found.status === 'declined') return compensate(orderId, 'payment_declined', 'declined')
    if (found.status === 'voided') return compensate(orderId, 'payment_voided', 'voided')
    const payment = found.status === 'authorized' ? await provider.capture(found.reference) : found
    if (payment.refunded >= payment.amount) return compensate(orderId, 'stock_expired', 'refunded')
    const outcome = await complete(orderId, payment.reference)
    if (outcome === 'paid') return 'paid'
    if (outcome === 'stock_expired') {
      await reverse(orderId, payment)
      return compensate(orderId, 'stock_expired', 'refunded')
    }
    if (outcome === 'was_cancelled') await reverse(orderId, payment)
    return 'already_settled'
  }

  async function reconcile(orderId: string): Promise<Settlement> {
    const order = await orders.summary(orderId)
    if (!order || order.status !== 'pending_payment') return 'already_settled'
    return settle(orderId, await provider.lookup(orderId))
  }

  return {
    settle,
    compensate,
    /** Asks the provider about one order still awaiting payment and settles it. */
    reconcile,
    /** One pass of the reconciliation job over orders awaiting payment since before `olderThan`. */
    async reconcileStale(olderThan: Date, limit = 100): Promise<Record<Settlement, number>> {
      const counts: Record<Settlement, number> = { paid: 0, cancelled: 0, already_settled: 0 }
      for (const id of await orders.awaitingPayment(olderThan, limit)) {
        try {
          counts[await reconcile(id)]++
        } catch (err) {
          logger.warn(
            { err: isAppError(err) ? err.code : err, orderId: id },
            'reconciliation failed; retried next run',
          )
        }
      }
      return counts
    },
  }
}

export type SettlementService = ReturnType<typeof createSettlement>
