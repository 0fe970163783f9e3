import type { Logger } from 'pino'
import type { UnitOfWork } from '../../platform/db/unit-of-work.js'
import { isAppError } from '../../platform/errors.js'
import type { CartCheckout } from '../carts/index.js'
import type { InventoryService } from '../inventory/index.js'
import type { OrdersService } from '../orders/index.js'
import type { PaymentProvider, ProviderPayment } from '../payments/index.js'
import type { PromotionsService } from '../promotions/index.js'

export interface SettleDeps {
  uow: UnitOfWork
  orders: OrdersService
  inventory: InventoryService
  promotions: Pick<PromotionsService, 'releaseRedemption'>
  carts: CartCheckout
  provider: PaymentProvider
  logger: Logger
}

export type Settlement = 'paid' | 'cancelled' | 'already_settled'

/**
 * The saga's second half, shared by checkout and the reconciliation job: given what the provider
 * says about an order's payment, finish the order exactly once. Every step re-reads the order
 * under its lock and does nothing if it is no longer awaiting payment, so checkout, the job and a
 * retry can race without doing anything twice.
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
      const state = await orders.lockState(tx, orderId)
      if (state.status !== 'pending_payment') return 'already_settled'
      const refunded = paymentStatus === 'refunded' ? state.payment.amount : 0
      await orders.record(
        tx,
        orderId,
        { type: 'order.cancelled', data: { reason, refunded, paymentStatus } },
        'system',
      )
      await inventory.release(tx, orderId)
      await deps.promotions.releaseRedemption(tx, orderId)
      if (state.cartId) await deps.carts.reopen(trx, state.cartId)
      return 'cancelled'
    })
  }

  /** Marks the order paid and sells its reserved stock; 'stock_expired' when the hold lapsed. */
  async function complete(orderId: string, reference: string) {
    return uow.run(async (trx, emit) => {
      const tx = { trx, emit }
      const state = await orders.lockState(tx, orderId)
      if (state.status !== 'pending_payment')
        return state.status === 'cancelled'
          ? ('was_cancelled' as const)
          : ('already_settled' as const)
      try {
        await inventory.commit(tx, orderId)
      } catch (err) {
        // Thrown before any SQL failed, so the transaction is still usable (and commits nothing).
        if (isAppError(err) && err.code === 'reservation_released') return 'stock_expired' as const
        throw err
      }
      await orders.record(tx, orderId, { type: 'order.paid', data: { reference } }, 'system')
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

  return {
    settle,
    compensate,
    /** Asks the provider about one order still awaiting payment and settles it. */
    async reconcile(orderId: string): Promise<Settlement> {
      const state = await orders.getState(orderId)
      if (!state || state.status !== 'pending_payment') return 'already_settled'
      return settle(orderId, await provider.lookup(orderId))
    },
    /** One pass of the reconciliation job over orders awaiting payment since before `olderThan`. */
    async reconcileStale(olderThan: Date, limit = 100): Promise<Record<Settlement, number>> {
      const counts: Record<Settlement, number> = { paid: 0, cancelled: 0, already_settled: 0 }
      for (const id of await orders.awaitingPayment(olderThan, limit)) {
        try {
          counts[await this.reconcile(id)]++
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
