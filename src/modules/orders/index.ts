import type { Kysely } from 'kysely'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime } from '../../platform/module.js'
import type { PlatformDeps } from '../../platform/module.js'
import type { InventoryService } from '../inventory/index.js'
import type { PaymentProvider } from '../payments/index.js'
import * as createOrders from './migrations/2026_11_21_1030_create_orders.js'
import { adminOrderRoutes } from './orders.admin-routes.js'
import { createOrderRefunds, type OrderRefunds, type OrderRefundsDeps } from './orders.refunds.js'
import { orderRoutes } from './orders.routes.js'
import { orderStreamRoutes } from './orders.stream.js'
import { OrderSchema } from './orders.schema.js'
import { createOrdersService, type OrdersService } from './orders.service.js'
import type { OrdersTables } from './orders.tables.js'

export const ordersMigrations: MigrationSet = {
  '2026_11_21_1030_create_orders': createOrders,
}

export const SETTLE_REFUNDS_JOB = 'orders.settle-refunds'

export interface OrdersModule {
  runtime: ModuleRuntime
  service: OrdersService
  refunds: OrderRefunds
}

export function createOrdersModule(
  deps: PlatformDeps & {
    inventory: InventoryService
    provider: PaymentProvider
    promotions: OrderRefundsDeps['promotions']
  },
): OrdersModule {
  const db = deps.database.db as Kysely<OrdersTables>
  const logger = deps.logger.child({ module: 'orders' })
  const service = createOrdersService({ db, uow: deps.uow })
  const refunds = createOrderRefunds({
    db,
    uow: deps.uow,
    orders: service,
    provider: deps.provider,
    inventory: deps.inventory,
    promotions: deps.promotions,
    logger,
  })
  return {
    service,
    refunds,
    runtime: {
      name: 'orders',
      schemas: [OrderSchema],
      routes: async (app) => {
        await orderRoutes(service, refunds)(app)
        await adminOrderRoutes(service, refunds)(app)
        await orderStreamRoutes(service, { pollMs: 500, heartbeatMs: 15_000 })(app)
      },
      jobs: [
        {
          name: SETTLE_REFUNDS_JOB,
          schedule: '* * * * *',
          handler: async () => {
            await refunds.settleStale(new Date(Date.now() - 60_000))
          },
        },
      ],
    },
  }
}

export type { OrderCaller, OrdersService, OrdersTx, NewOrder } from './orders.service.js'
export type { OrderRefunds } from './orders.refunds.js'
export { OrderRef, type Order } from './orders.schema.js'
export { OrderErrors } from './orders.errors.js'
export { OrderEvents, type OrderEventPayload } from './orders.events.js'
export {
  ORDER_STATUSES,
  type OrderLine,
  type OrderState,
  type OrderStatus,
  type OrderTotals,
} from './orders.state.js'
export { orderCallerOf } from './orders.routes.js'
