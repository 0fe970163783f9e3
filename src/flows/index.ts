import type { Logger } from 'pino'
import type { UnitOfWork } from '../platform/db/unit-of-work.js'
import type { ModuleRuntime } from '../platform/module.js'
import type { Metrics } from '../platform/telemetry/metrics.js'
import type { CartsService } from '../modules/carts/index.js'
import type { CatalogApi } from '../modules/catalog/index.js'
import type { InventoryService } from '../modules/inventory/index.js'
import type { OrdersService, RefundRows } from '../modules/orders/index.js'
import type { PaymentProviders } from '../modules/payments/index.js'
import type { PromotionsService } from '../modules/promotions/index.js'
import { createCancelOrder, type CancelOrder } from './cancel-order.js'
import { checkoutRoutes, paymentWebhookRoutes, refundRoutes } from './flows.routes.js'
import { flowsAdminGraphql } from './flows.admin-graphql.js'
import { flowsGraphql } from './flows.graphql.js'
import { createPlaceOrder, type PlaceOrder } from './place-order.js'
import { createRefundOrder, type RefundOrder } from './refund-order.js'
import { createSettlement, type SettlementService } from './settle-payment.js'

export const RECONCILE_JOB = 'checkout.reconcile-payments'
export const SETTLE_REFUNDS_JOB = 'orders.settle-refunds'

/** The module doors the flows drive; nothing else of a module is reachable from here. */
export interface FlowDoors {
  carts: Pick<CartsService, 'checkoutSnapshot' | 'close' | 'reopen'>
  inventory: Pick<InventoryService, 'reserve' | 'commit' | 'release' | 'restock'>
  orders: OrdersService
  refunds: RefundRows
  promotions: Pick<PromotionsService, 'redeem' | 'releaseRedemption'>
  payments: PaymentProviders
  /** Read only: the product behind an order line, for GraphQL's `OrderItem.product`. */
  catalog: Pick<CatalogApi, 'getProducts'>
}

export interface FlowSettings {
  reservationTtlSeconds: number
  paymentTimeoutMs: number
  reconcileAfterSeconds: number
}

export interface Flows {
  runtime: ModuleRuntime
  placeOrder: PlaceOrder
  settlement: SettlementService
  cancelOrder: CancelOrder
  refundOrder: RefundOrder
}

/**
 * The cross-module workflows. Modules are leaves that never import each other's writes; a flow
 * holds the saga that spans them, and owns no table of its own: its state is the order, the
 * reservation, the refund row and the provider's record.
 */
export function createFlows(
  deps: { uow: UnitOfWork; logger: Logger; settings: FlowSettings; metrics: Metrics } & FlowDoors,
): Flows {
  const { settings } = deps
  const logger = deps.logger.child({ module: 'flows' })
  const settlement = createSettlement({ ...deps, logger })
  const placeOrder = createPlaceOrder({ ...deps, settlement, logger })
  const refundOrder = createRefundOrder({ ...deps, logger })
  const cancelOrder = createCancelOrder({ ...deps, refundOrder })
  return {
    placeOrder,
    settlement,
    cancelOrder,
    refundOrder,
    runtime: {
      name: 'flows',
      routes: async (app) => {
        await checkoutRoutes(placeOrder)(app)
        await refundRoutes(cancelOrder, refundOrder)(app)
        // Its own scope: the raw-body JSON parser must not reach the other routes.
        await app.register(paymentWebhookRoutes(deps.payments.enabled, settlement))
      },
      graphql: [
        flowsGraphql(placeOrder, cancelOrder, deps.catalog),
        flowsAdminGraphql(refundOrder),
      ],
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
        {
          name: SETTLE_REFUNDS_JOB,
          schedule: '* * * * *',
          handler: async () => {
            await refundOrder.settleStale(new Date(Date.now() - 60_000))
          },
        },
      ],
    },
  }
}

export { flowsAdminTypeDefs } from './flows.admin-graphql.js'
export { flowsTypeDefs } from './flows.graphql.js'
export { CheckoutActionReply, CheckoutBody, CheckoutReply } from './flows.schema.js'
export type { CancelOrder } from './cancel-order.js'
export type { PlaceOrder } from './place-order.js'
export type { RefundOrder } from './refund-order.js'
export type { Settlement, SettlementService } from './settle-payment.js'
