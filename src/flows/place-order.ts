import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import type { UnitOfWork } from '../../platform/db/unit-of-work.js'
import { isAppError } from '../../platform/errors.js'
import { failpoint } from '../../platform/failpoints.js'
import { newId } from '../../shared/ids.js'
import type { Cart, CartCaller, CartCheckout, CartsService } from '../carts/index.js'
import type { InventoryService } from '../inventory/index.js'
import type { Order, OrdersService, OrderState } from '../orders/index.js'
import type { PaymentProvider, ProviderPayment } from '../payments/index.js'
import type { PromotionsService } from '../promotions/index.js'
import { CheckoutErrors } from './checkout.errors.js'
import type { CheckoutInput } from './checkout.schema.js'
import type { SettlementService } from './checkout.settle.js'

export interface CheckoutDeps {
  uow: UnitOfWork
  carts: CartsService
  cartCheckout: CartCheckout
  inventory: InventoryService
  orders: OrdersService
  promotions: Pick<PromotionsService, 'redeem'>
  provider: PaymentProvider
  settlement: SettlementService
  settings: { reservationTtlSeconds: number; paymentTimeoutMs: number }
  logger: Logger
}

/** Rejects with a payment timeout when `promise` has not settled within `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** The cart as it will be ordered: address and email set, a shipping method chosen, all sellable. */
async function prepareCart(
  carts: CartsService,
  caller: CartCaller,
  cartId: string,
  input: CheckoutInput,
): Promise<{ cart: Cart; shippingMethod: { id: string; name: string } }> {
  const { cart, shippingMethod } = await carts.prepareCheckout(caller, cartId, input)
  if (cart.items.length === 0) throw CheckoutErrors.cartEmpty()
  const unavailable = cart.items.flatMap((item, i) =>
    item.available
      ? []
      : [{ path: `/items/${i}`, message: item.unavailableReason ?? 'unavailable' }],
  )
  if (unavailable.length > 0) throw CheckoutErrors.itemsUnavailable(unavailable)
  return { cart, shippingMethod: { id: shippingMethod.id, name: shippingMethod.name } }
}

function orderLines(cart: Cart) {
  return cart.items.map((i) => ({
    variantId: i.variantId,
    productId: i.productId,
    sku: i.sku,
    title: i.title,
    productTitle: i.productTitle,
    quantity: i.quantity,
    unitPrice: i.unitPrice!.amount,
    lineTotal: i.lineTotal.amount,
  }))
}

/**
 * Checkout as a saga: (1) one transaction closes the cart, reserves the stock, redeems the coupon
 * and creates the order `pending_payment` with its events; (2) the provider is called outside any
 * transaction, with the order id as idempotency key; (3) the settlement marks the order paid and
 * sells the stock, or compensates (cancel, release, reopen the cart). A timeout or a crash after
 * (1) leaves an order the reconciliation job settles from the provider's own record.
 */
export function createCheckoutService(deps: CheckoutDeps) {
  const { uow, orders, provider, settlement, settings, logger } = deps

  async function placeOrder(
    caller: CartCaller,
    { cart, shippingMethod }: { cart: Cart; shippingMethod: { id: string; name: string } },
    input: CheckoutInput,
    orderId: string,
    guestToken: string | null,
  ): Promise<OrderState> {
    return uow.run(async (trx, emit) => {
      const tx = { trx, emit }
      await deps.cartCheckout.close(trx, cart.id, cart.updatedAt)
      const items = cart.items.map((i) => ({ variantId: i.variantId, quantity: i.quantity }))
      await deps.inventory.reserve(tx, orderId, items, settings.reservationTtlSeconds)
      const totals = {
        subtotal: cart.totals.subtotal.amount,
        discount: cart.totals.discount.amount,
        shipping: cart.totals.shipping.amount,
        tax: cart.totals.tax.amount,
        total: cart.totals.total.amount,
      }
      // A code that gives nothing now (expired, exhausted …) is not part of the order.
      const code = cart.coupon && cart.coupon.unavailableReason === null ? cart.coupon.code : null
      if (code) {
        const redeemed = await deps.promotions.redeem(tx, {
          code,
          orderId,
          customerId: caller.customerId,
          email: input.email.toLowerCase(),
          currency: cart.currency,
          subtotal: totals.subtotal,
          shipping: totals.shipping,
        })
        if (redeemed.discount !== totals.discount) throw CheckoutErrors.couponChanged()
      }
      const address = input.shippingAddress
      return orders.create(tx, {
        id: orderId,
        guestToken,
        customerId: caller.customerId,
        email: input.email.toLowerCase(),
        currency: cart.currency,
        cartId: cart.id,
        items: orderLines(cart),
        totals,
        shippingAddress: { ...address, country: address.country.toUpperCase() },
        shippingMethod,
        couponCode: code,
        payment: { method: input.payment.method, provider: provider.name, amount: totals.total },
      })
    })
  }

  /** Calls the provider; undefined when it did not answer (the reconciliation job will ask). */
  async function pay(
    order: OrderState,
    input: CheckoutInput,
  ): Promise<ProviderPayment | undefined> {
    const timeout = () => new Error('payment provider timeout')
    try {
      const authorized = await withTimeout(
        provider.authorize({
          idempotencyKey: order.id,
          amount: order.totals.total,
          currency: order.currency,
          method: input.payment.method,
          token: input.payment.token,
        }),
        settings.paymentTimeoutMs,
        timeout,
      )
      return authorized.status === 'authorized'
        ? await withTimeout(
            provider.capture(authorized.reference),
            settings.paymentTimeoutMs,
            timeout,
          )
        : authorized
    } catch (err) {
      logger.warn(
        { orderId: order.id, err: isAppError(err) ? err.code : (err as Error).message },
        'payment unsettled at checkout; the reconciliation job will settle it',
      )
      return undefined
    }
  }

  return {
    async checkout(
      caller: CartCaller,
      cartId: string,
      input: CheckoutInput,
    ): Promise<{ order: Order; orderToken: string | null }> {
      const prepared = await prepareCart(deps.carts, caller, cartId, input)
      const orderId = newId('ord')
      const orderToken = caller.customerId ? null : `ot_${randomBytes(32).toString('base64url')}`
      const order = await placeOrder(caller, prepared, input, orderId, orderToken)
      failpoint('checkout.after-order')
      const payment = await pay(order, input)
      failpoint('checkout.after-payment')
      if (payment) {
        const outcome = await settlement.settle(orderId, payment)
        if (outcome === 'cancelled' && payment.status === 'declined')
          throw CheckoutErrors.paymentDeclined(orderId, payment.declineReason)
      }
      return { order: await orders.ownerView(orderId), orderToken }
    },
  }
}

export type CheckoutService = ReturnType<typeof createCheckoutService>
