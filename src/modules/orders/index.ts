import type { Kysely } from 'kysely'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime } from '../../platform/module.js'
import type { PlatformDeps } from '../../platform/module.js'
import * as createOrders from './migrations/2026_11_21_1030_create_orders.js'
import { adminOrderRoutes } from './orders.admin-routes.js'
import { createRefundRows, type RefundRows } from './orders.refund-rows.js'
import { orderRoutes } from './orders.routes.js'
import { createOrderFollower, type StreamSettings } from './orders.follow.js'
import { ordersGraphql } from './orders.graphql.js'
import { ordersAdminGraphql } from './orders.admin-graphql.js'
import { orderStreamRoutes } from './orders.stream.js'
import { createStreamHub } from './orders.stream-hub.js'
import { OrderSchema } from './orders.schema.js'
import { createOrdersService, type OrdersService } from './orders.service.js'
import type { OrdersTables } from './orders.tables.js'

export const ordersMigrations: MigrationSet = {
  '2026_11_21_1030_create_orders': createOrders,
}

export interface OrdersModule {
  runtime: ModuleRuntime
  service: OrdersService
  refunds: RefundRows
}

/** A leaf: the order, its history, projection and refund rows; the flows drive it. */
/** The order event streams' limits (`ORDER_STREAM_*`). */
export interface OrdersSettings {
  stream: Pick<StreamSettings, 'maxLifetimeMs' | 'recheckMs'>
}

export function createOrdersModule(deps: PlatformDeps, settings: OrdersSettings): OrdersModule {
  const db = deps.database.db as Kysely<OrdersTables>
  const service = createOrdersService({ db, uow: deps.uow, metrics: deps.metrics })
  const refunds = createRefundRows({ db, uow: deps.uow, orders: service })
  const follower = createOrderFollower(service, createStreamHub(deps.events), {
    heartbeatMs: 15_000,
    maxPerCaller: 5,
    ...settings.stream,
  })
  return {
    service,
    refunds,
    runtime: {
      name: 'orders',
      schemas: [OrderSchema],
      routes: async (app) => {
        await orderRoutes(service)(app)
        await adminOrderRoutes(service)(app)
        await orderStreamRoutes(service, follower)(app)
      },
      graphql: [ordersGraphql(service, follower), ordersAdminGraphql(service)],
    },
  }
}

export type { OrderCaller, OrdersService, OrderSummary, NewOrder } from './orders.service.js'
export type { Refund, RefundRequest, RefundRows } from './orders.refund-rows.js'
export {
  OrderParams,
  OrderRef,
  OrderTokenHeaders,
  RefundBody,
  type Order,
} from './orders.schema.js'
export { ordersTypeDefs } from './orders.graphql.js'
export { ordersAdminTypeDefs } from './orders.admin-graphql.js'
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
