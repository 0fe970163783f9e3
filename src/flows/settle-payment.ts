import type { Logger } from 'pino'
import type { UnitOfWork } from '../platform/db/unit-of-work.js'
import { isAppError } from '../platform/errors.js'
import type { CartsService } from '../modules/carts/index.js'
import { isReservationReleased, type InventoryService } from '../modules/inventory/index.js'
import type { OrdersService, OrderSummary } from '../modules/orders/index.js'
import type { PaymentProviders, ProviderPayment } from '../modules/payments/index.js'
import type { PromotionsService } from '../modules/promotions/index.js'

export interface SettleDeps {
  uow: UnitOfWork
  orders: Pick<OrdersService, 'lockState' | 'record' | 'summary' | 'awaitingPayment'>
  inventory: Pick<InventoryService, 'commit' | 'release'>
  promotions: Pick<PromotionsService, 'releaseRedemption'>
  carts: Pick<CartsService, 'reopen'>
  payments: PaymentProviders
  settings: { reservationTtlSeconds: number }
  logger: Logger
}

/** `awaiting_payment`: the customer still has to act (3-D Secure) or the provider is working. */
export type Settlement = 'paid' | 'cancelled' | 'already_settled' | 'awaiting_payment'

/** The provider holds exactly the order's total, in its currency: nothing else is paid. */
const coversOrder = (order: OrderSummary, payment: ProviderPayment) =>
  payment.amount === order.payment.amount && payment.currency === order.currency

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
 *
 * Before anything is captured or marked paid, the provider's amount and currency must equal the
 * order's: a payment that does not match is reversed and the order cancelled
 * (`payment_mismatch`), with an error logged for staff. Each payment goes back to the provider
 * recorded on its order.
 */
export function createSettlement(deps: SettleDeps) {
  const { uow, orders, inventory, payments, logger } = deps

  /** Cancels an order awaiting payment and gives back its stock, coupon use and cart. */
  async function compensate(
    orderId: string,
    reason: string,
    paymentStatus: 'declined' | 'voided' | 'refunded',
    refundedAmount?: number,
  ): Promise<Settlement> {
    return uow.run(async (trx, emit) => {
      const tx = { trx, emit }
      const order = await orders.lockState(tx, orderId)
      if (order.status !== 'pending_payment') return 'already_settled'
      const refunded = paymentStatus === 'refunded' ? (refundedAmount ?? order.payment.amount) : 0
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
  async function reverse(order: OrderSummary, payment: ProviderPayment): Promise<void> {
    const orderId = order.id
    const provider = payments.byName(order.payment.provider)
    const left = payment.amount - payment.refunded
    if (payment.status === 'authorized' || payment.status === 'action_required')
      await provider.void(payment.reference)
    else if (payment.status === 'captured' && left > 0)
      await provider.refund({
        idempotencyKey: `${orderId}:reversal`,
        reference: payment.reference,
        amount: left,
      })
    logger.warn({ orderId, reference: payment.reference }, 'late payment reversed')
  }

  /** A payment for another amount or currency than the order's: given back, never paid. */
  async function refuseMismatch(order: OrderSummary, payment: ProviderPayment) {
    logger.error(
      {
        orderId: order.id,
        reference: payment.reference,
        expected: { amount: order.payment.amount, currency: order.currency },
        got: { amount: payment.amount, currency: payment.currency },
      },
      'payment does not match the order total; reversed and order cancelled',
    )
    await reverse(order, payment)
    if (payment.status !== 'captured') return compensate(order.id, 'payment_mismatch', 'voided')
    return compensate(order.id, 'payment_mismatch', 'refunded', payment.amount - payment.refunded)
  }

  async function settle(
    order: OrderSummary,
    found: ProviderPayment | undefined,
  ): Promise<Settlement> {
    const orderId = order.id
    if (!found) return compensate(orderId, 'payment_not_completed', 'voided')
    if (found.status === 'declined') return compensate(orderId, 'payment_declined', 'declined')
    if (found.status === 'voided') return compensate(orderId, 'payment_voided', 'voided')
    if (found.status === 'action_required' || found.status === 'pending') return 'awaiting_payment'
    if (!coversOrder(order, found)) return refuseMismatch(order, found)
    const provider = payments.byName(order.payment.provider)
    const payment = found.status === 'authorized' ? await provider.capture(found.reference) : found
    if (payment.refunded >= payment.amount) return compensate(orderId, 'stock_expired', 'refunded')
    const outcome = await complete(orderId, payment.reference)
    if (outcome === 'paid') return 'paid'
    if (outcome === 'stock_expired') {
      await reverse(order, payment)
      return compensate(orderId, 'stock_expired', 'refunded')
    }
    if (outcome === 'was_cancelled') await reverse(order, payment)
    return 'already_settled'
  }

  /**
   * A payment still awaiting the customer once the order's stock hold has lapsed is given up:
   * voided at the provider (so a late 3-D Secure cannot charge) and the order cancelled.
   */
  async function abandonIfStale(order: OrderSummary, payment: ProviderPayment) {
    const ageMs = Date.now() - Date.parse(order.createdAt)
    if (ageMs < deps.settings.reservationTtlSeconds * 1000) return 'awaiting_payment' as const
    const voided = await payments.byName(order.payment.provider).void(payment.reference)
    // The customer finished just in time: settle what the provider now holds.
    if (voided.status !== 'voided') return settle(order, voided)
    return compensate(order.id, 'payment_not_completed', 'voided')
  }

  async function reconcile(orderId: string): Promise<Settlement> {
    const order = await orders.summary(orderId)
    if (!order || order.status !== 'pending_payment') return 'already_settled'
    const payment = await payments.byName(order.payment.provider).lookup(orderId)
    const outcome = await settle(order, payment)
    return outcome === 'awaiting_payment' ? abandonIfStale(order, payment!) : outcome
  }

  return {
    settle,
    compensate,
    /** Asks the provider about one order still awaiting payment and settles it. */
    reconcile,
    /** One pass of the reconciliation job over orders awaiting payment since before `olderThan`. */
    async reconcileStale(olderThan: Date, limit = 100): Promise<Record<Settlement, number>> {
      const counts: Record<Settlement, number> = {
        paid: 0,
        cancelled: 0,
        already_settled: 0,
        awaiting_payment: 0,
      }
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
