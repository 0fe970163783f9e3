import type { ModuleRuntime } from '../../platform/module.js'
import type { ModuleDeps } from '../index.js'
import { cartCheckout, type CartsService } from '../carts/index.js'
import type { InventoryService } from '../inventory/index.js'
import type { OrdersService } from '../orders/index.js'
import type { PaymentProvider } from '../payments/index.js'
import type { PromotionsService } from '../promotions/index.js'
import { checkoutRoutes, paymentWebhookRoutes } from './checkout.routes.js'
import { createCheckoutService, type CheckoutService } from './checkout.service.js'
import { createSettlement, type SettlementService } from './checkout.settle.js'

export const RECONCILE_JOB = 'checkout.reconcile-payments'

export interface CheckoutModule {
  runtime: ModuleRuntime
  service: CheckoutService
  settlement: SettlementService
}

/** Checkout owns no tables: its state is the order, the reservation and the provider's record. */
export function createCheckoutModule(
  deps: ModuleDeps & {
    carts: CartsService
    inventory: InventoryService
    orders: OrdersService
    promotions: PromotionsService
    provider: PaymentProvider
  },
): CheckoutModule {
  const logger = deps.logger.child({ module: 'checkout' })
  const settings = deps.config.checkout
  const settlement = createSettlement({ ...deps, carts: cartCheckout, logger })
  const service = createCheckoutService({
    ...deps,
    cartCheckout,
    settlement,
    settings,
    logger,
  })
  return {
    service,
    settlement,
    runtime: {
      name: 'checkout',
      routes: async (app) => {
        await checkoutRoutes(service)(app)
        // Its own scope: the raw-body JSON parser must not reach the other routes.
        await app.register(paymentWebhookRoutes(deps.provider, settlement))
      },
      jobs: [
        {
          name: RECONCILE_JOB,
          schedule: '* * * * *',
          handler: async () => {
            const olderThan = new Date(Date.now() - settings.reconcileAfterSeconds * 1000)
            const counts = await settlement.reconcileStale(olderThan)
            if (counts.paid + counts.cancelled > 0) logger.info(counts, 'payments reconciled')
          },
        },
      ],
    },
  }
}

export type { CheckoutService } from './checkout.service.js'
export type { Settlement, SettlementService } from './checkout.settle.js'
