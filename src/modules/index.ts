import type { Logger } from 'pino'
import type { Config } from '../config.js'
import type { CacheFactory } from '../platform/cache/cache.js'
import type { Database } from '../platform/db/database.js'
import type { MigrationSet } from '../platform/db/migrations.js'
import { platformMigrations } from '../platform/db/platform.migrations.js'
import type { UnitOfWork } from '../platform/db/unit-of-work.js'
import type { Jobs } from '../platform/jobs/jobs.js'
import type { Mailer } from '../platform/mail/mailer.js'
import type { RateLimitStore } from '../platform/ratelimit/store.js'
import type { ModuleRuntime } from '../platform/module.js'
import { auditMigrations, createAuditModule, type AuditModule } from './audit/index.js'
import { authMigrations, createAuthModule, type AuthModule } from './auth/index.js'
import { cartsMigrations, createCartsModule, type CartsModule } from './carts/index.js'
import { catalogMigrations, createCatalogModule, type CatalogModule } from './catalog/index.js'
import {
  createCustomersModule,
  customersMigrations,
  type CustomersModule,
} from './customers/index.js'
import {
  createInventoryModule,
  inventoryMigrations,
  type InventoryModule,
} from './inventory/index.js'
import {
  createPromotionsModule,
  promotionsMigrations,
  type PromotionsModule,
} from './promotions/index.js'
import { createWebhooksModule, webhooksMigrations, type WebhooksModule } from './webhooks/index.js'
import { createOperationsModule, type OperationsModule } from './operations/index.js'
import { createFlows, type Flows } from '../flows/index.js'
import { createOrdersModule, ordersMigrations, type OrdersModule } from './orders/index.js'
import { createPaymentsModule, paymentsMigrations, type PaymentsModule } from './payments/index.js'

/** Every migration of the platform and the modules; names order them across modules. */
export const allMigrations: MigrationSet[] = [
  platformMigrations,
  authMigrations,
  inventoryMigrations,
  catalogMigrations,
  customersMigrations,
  auditMigrations,
  cartsMigrations,
  webhooksMigrations,
  promotionsMigrations,
  paymentsMigrations,
  ordersMigrations,
]

export interface ModuleDeps {
  config: Config
  logger: Logger
  database: Database
  uow: UnitOfWork
  jobs: Jobs
  mailer: Mailer
  /** Counters for limits and lockouts; shared across processes when Redis is configured. */
  rateLimits: RateLimitStore
  /** In-process caches; their invalidations reach every process when Redis is configured. */
  caches: CacheFactory
}

export interface Modules {
  audit: AuditModule
  auth: AuthModule
  inventory: InventoryModule
  catalog: CatalogModule
  customers: CustomersModule
  carts: CartsModule
  webhooks: WebhooksModule
  promotions: PromotionsModule
  operations: OperationsModule
  payments: PaymentsModule
  orders: OrdersModule
  flows: Flows
  runtimes: ModuleRuntime[]
}

/** Explicit wiring: each module gets the platform and the services of the modules it uses. */
export function createModules(deps: ModuleDeps): Modules {
  const audit = createAuditModule(deps)
  const auth = createAuthModule({ ...deps, audit: audit.service })
  const inventory = createInventoryModule({
    ...deps,
    staff: auth.directory,
    // The digest names variants through the catalog, created below (called only at run time).
    variantLabels: (ids) => catalog.service.getVariantsForPricing(ids, deps.config.storeCurrency),
  })
  const catalog = createCatalogModule({ ...deps, inventory: inventory.service })
  const customers = createCustomersModule(deps)
  const promotions = createPromotionsModule(deps)
  const carts = createCartsModule({
    ...deps,
    catalog: catalog.service,
    promotions: promotions.service,
    customerEmail: async (id) => (await auth.service.getMe(id).catch(() => undefined))?.email,
  })
  const webhooks = createWebhooksModule({ ...deps, staff: auth.directory })
  const operations = createOperationsModule(deps)
  const payments = createPaymentsModule(deps)
  const orders = createOrdersModule(deps)
  const flows = createFlows({
    ...deps,
    settings: deps.config.checkout,
    carts: carts.service,
    inventory: inventory.service,
    orders: orders.service,
    refunds: orders.refunds,
    promotions: promotions.service,
    provider: payments.provider,
  })
  return {
    audit,
    auth,
    inventory,
    catalog,
    customers,
    carts,
    webhooks,
    promotions,
    operations,
    payments,
    orders,
    flows,
    runtimes: [
      auth.runtime,
      inventory.runtime,
      catalog.runtime,
      customers.runtime,
      audit.runtime,
      carts.runtime,
      webhooks.runtime,
      promotions.runtime,
      operations.runtime,
      orders.runtime,
      flows.runtime,
    ],
  }
}
