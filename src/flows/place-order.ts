import type { Logger } from 'pino'
import { randomToken } from '../platform/crypto.js'
import type { UnitOfWork } from '../platform/db/unit-of-work.js'
import { isAppError } from '../platform/errors.js'
import { failpoint } from '../platform/failpoints.js'
import type { CheckoutOutcome, Metrics } from '../platform/telemetry/metrics.js'
import { newId } from '../shared/ids.js'
import type { CartCaller, CartsService, CheckoutSnapshot } from '../modules/carts/index.js'
import type { InventoryService } from '../modules/inventory/index.js'
import type { Order, OrderSummary, OrdersService } from '../modules/orders/index.js'
import type {
  PaymentNextAction,
  PaymentProvider,
  PaymentProviders,
  ProviderPayment,
} from '../modules/payments/index.js'
import type { PromotionsService } from '../modules/promotions/index.js'
import { CheckoutErrors } from './flows.errors.js'
import type { CheckoutInput } from './flows.schema.js'
import type { SettlementService } from './settle-payment.js'

export interface PlaceOrderDeps {
  uow: UnitOfWork
  carts: Pick<CartsService, 'checkoutSnapshot' | 'close'>
  inventory: Pick<InventoryService, 'reserve'>
  orders: Pick<OrdersService, 'create' | 'ownerView'>
  promotions: Pick<PromotionsService, 'redeem'>
  payments: PaymentProviders
  settlement: SettlementService
  settings: { reservationTtlSeconds: number; paymentTimeoutMs: number }
  logger: Logger
  metrics: Pick<Metrics, 'checkouts'>
}

/** Rejects with a payment timeout when `promise` has not settled within `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** The snapshot can be ordered: at least one line, and every line still for sale. */
function assertOrderable(snapshot: CheckoutSnapshot): void {
  if (snapshot.lines.length === 0) throw CheckoutErrors.cartEmpty()
  const unavailable = snapshot.lines.flatMap((line, i) =>
    line.unavailableReason === null
      ? []
      : [{ path: `/items/${i}`, message: line.unavailableReason }],
  )
  if (unavailable.length > 0) throw CheckoutErrors.itemsUnavailable(unavailable)
}

/**
 * The outcome a failed checkout counts as; none for a request refused before anything was held
 * (an empty cart, a changed coupon, a wrong token): those are the caller's to fix.
 */
function failureOutcome(error: unknown): CheckoutOutcome | undefined {
  if (!isAppError(error)) return 'error'
  if (error.code === 'payment_declined') return 'declined'
  if (error.code === 'out_of_stock') return 'out_of_stock'
  return error.kind === 'unavailable' ? 'error' : undefined
}

/**
 * Place an order: a saga that reads top to bottom. Each step names its compensation.
 *
 * 1. `carts.checkoutSnapshot`: the cart priced once, read without a transaction.
 *    Compensation: none, nothing was written.
 * 2. One transaction: `carts.close` (at the snapshot's version, storing email and address),
 *    `inventory.reserve`, `promotions.redeem` (with a coupon), `orders.create` (`pending_payment`).
 *    Compensation: any failure rolls the whole transaction back; after it commits, the
 *    settlement's `compensate` (order cancelled, stock released, coupon use given back, cart
 *    reopened).
 * 3. The provider the card token picks (recorded on the order in step 2), outside any
 *    transaction, the order id as idempotency key. Compensation: the settlement's `reverse`
 *    (void or refund) for a payment that arrives after its order was cancelled.
 * 4. `settle-payment`: the order paid and its stock sold, or step 2's compensation. A payment
 *    that needs the customer (3-D Secure) leaves the order `pending_payment`: checkout answers
 *    with the `nextAction`, and the provider's webhook settles it.
 *
 * A timeout or a crash after step 2 leaves an order the reconciliation job settles from the
 * provider's own record.
 */
export function createPlaceOrder(deps: PlaceOrderDeps) {
  const { uow, carts, orders, payments, settlement, settings, logger, metrics } = deps

  async function reserveAndCreate(
    caller: CartCaller,
    snapshot: CheckoutSnapshot,
    input: CheckoutInput,
    orderId: string,
    guestToken: string | null,
    provider: PaymentProvider,
  ): Promise<OrderSummary> {
    return uow.run(async (trx, emit) => {
      const tx = { trx, emit }
      await carts.close(tx, snapshot)
      const items = snapshot.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity }))
      // The order id was made up just now: nobody else can hold stock under it.
      await deps.inventory.reserve(tx, orderId, items, settings.reservationTtlSeconds, {
        fresh: true,
      })
      const { totals, couponCode } = snapshot
      if (couponCode) {
        const redeemed = await deps.promotions.redeem(tx, {
          code: couponCode,
          orderId,
          customerId: caller.customerId,
          email: snapshot.email,
          currency: snapshot.currency,
          subtotal: totals.subtotal,
          shipping: totals.shipping,
        })
        if (redeemed.discount !== totals.discount) throw CheckoutErrors.couponChanged()
      }
      return orders.create(tx, {
        id: orderId,
        guestToken,
        customerId: caller.customerId,
        email: snapshot.email,
        currency: snapshot.currency,
        cartId: snapshot.cartId,
        items: snapshot.lines.map(({ unavailableReason: _, ...line }) => line),
        totals,
        shippingAddress: { ...input.shippingAddress, country: snapshot.shippingAddress.country },
        shippingMethod: snapshot.shippingMethod,
        couponCode,
        payment: { method: input.payment.method, provider: provider.name, amount: totals.total },
      })
    })
  }

  /**
   * Calls the provider; undefined when it did not answer or failed (the reconciliation job will
   * ask), after telling `unsettled` which.
   */
  async function pay(
    order: OrderSummary,
    input: CheckoutInput,
    provider: PaymentProvider,
    unsettled: (outcome: 'timeout' | 'error') => void,
  ) {
    const timedOut = new Error('payment provider timeout')
    const call = <T>(promise: Promise<T>) =>
      withTimeout(promise, settings.paymentTimeoutMs, () => timedOut)
    try {
      const authorized = await call(
        provider.authorize({
          idempotencyKey: order.id,
          amount: order.total,
          currency: order.currency,
          method: input.payment.method,
          token: input.payment.token,
        }),
      )
      return authorized.status === 'authorized'
        ? await call(provider.capture(authorized.reference))
        : authorized
    } catch (err) {
      unsettled(err === timedOut ? 'timeout' : 'error')
      logger.warn(
        { orderId: order.id, err: isAppError(err) ? err.code : (err as Error).message },
        'payment unsettled at checkout; the reconciliation job will settle it',
      )
      return undefined
    }
  }

  type Placed = { order: Order; orderToken: string | null; nextAction?: PaymentNextAction }

  async function place(
    caller: CartCaller,
    cartId: string,
    input: CheckoutInput,
    unsettled: (outcome: 'timeout' | 'error') => void,
  ): Promise<Placed> {
    const snapshot = await carts.checkoutSnapshot(caller, cartId, input)
    assertOrderable(snapshot)
    const orderId = newId('ord')
    const orderToken = caller.customerId ? null : randomToken('ot_')
    const provider = payments.forPayment(input.payment.method, input.payment.token)
    const order = await reserveAndCreate(caller, snapshot, input, orderId, orderToken, provider)
    failpoint('checkout.after-order')
    const payment: ProviderPayment | undefined = await pay(order, input, provider, unsettled)
    failpoint('checkout.after-payment')
    if (payment) {
      const outcome = await settlement.settle(order, payment)
      if (outcome === 'cancelled' && payment.status === 'declined')
        throw CheckoutErrors.paymentDeclined(orderId, payment.declineReason)
      if (outcome === 'awaiting_payment' && payment.nextAction)
        return {
          order: await orders.ownerView(orderId),
          orderToken,
          nextAction: payment.nextAction,
        }
    }
    return { order: await orders.ownerView(orderId), orderToken }
  }

  return {
    /**
     * Counted in `emporium_checkouts_total` once it ends: paid, declined, out of stock, or left
     * to the reconciliation (timeout, error). One awaiting 3-D Secure is counted by nothing here.
     */
    async checkout(caller: CartCaller, cartId: string, input: CheckoutInput): Promise<Placed> {
      let unsettled: CheckoutOutcome | undefined
      let placed: Placed
      try {
        placed = await place(caller, cartId, input, (outcome) => (unsettled = outcome))
      } catch (error) {
        const outcome = failureOutcome(error)
        if (outcome) metrics.checkouts.inc({ outcome })
        throw error
      }
      const outcome = placed.order.status === 'paid' ? 'paid' : unsettled
      if (outcome) metrics.checkouts.inc({ outcome })
      return placed
    },
  }
}

export type PlaceOrder = ReturnType<typeof createPlaceOrder>
