import type { Config } from './config.js'
import type { MigrationSet } from './platform/db/migrations.js'
import { platformMigrations } from './platform/db/platform.migrations.js'
import { baseTypeDefs } from './platform/graphql/base.graphql.js'
import type { Mailer } from './platform/mail/mailer.js'
import type { ModuleRuntime, PlatformDeps } from './platform/module.js'
import { createStorage } from './platform/storage/index.js'
import {
  createNotificationsModule,
  type NotificationsModule,
} from './modules/notifications/index.js'
import { auditMigrations, createAuditModule, type AuditModule } from './modules/audit/index.js'
import {
  authMigrations,
  authTypeDefs,
  createAuthModule,
  type AuthModule,
} from './modules/auth/index.js'
import {
  cartsMigrations,
  cartsTypeDefs,
  createCartsModule,
  type CartsModule,
} from './modules/carts/index.js'
import {
  catalogAdminTypeDefs,
  catalogMigrations,
  catalogTypeDefs,
  createCatalogModule,
  type CatalogModule,
} from './modules/catalog/index.js'
import {
  createCustomersModule,
  customersMigrations,
  type CustomersModule,
} from './modules/customers/index.js'
import {
  createInventoryModule,
  inventoryMigrations,
  inventoryTypeDefs,
  type InventoryModule,
} from './modules/inventory/index.js'
import {
  createPromotionsModule,
  promotionsMigrations,
  promotionsTypeDefs,
  type PromotionsModule,
} from './modules/promotions/index.js'
import {
  createWebhooksModule,
  webhooksMigrations,
  webhooksTypeDefs,
  type WebhooksModule,
} from './modules/webhooks/index.js'
import { createOperationsModule, type OperationsModule } from './modules/operations/index.js'
import { acpMigrations, createAcpModule, type AcpModule } from './modules/acp/index.js'
import { createFlows, flowsAdminTypeDefs, flowsTypeDefs, type Flows } from './flows/index.js'
import { createMcpRuntime } from './agentic/mcp/index.js'
import { VERSION } from './app.js'
import { sharedSchemas } from './platform/http/schemas.js'
import {
  createOrdersModule,
  ordersAdminTypeDefs,
  ordersMigrations,
  ordersTypeDefs,
  type OrdersModule,
} from './modules/orders/index.js'
import {
  createWishlistsModule,
  wishlistsMigrations,
  type WishlistsModule,
} from './modules/wishlists/index.js'
import {
  createRecommendationsModule,
  recommendationsMigrations,
  type RecommendationsModule,
} from './modules/recommendations/index.js'
import {
  createReviewsModule,
  reviewsMigrations,
  type ReviewsModule,
} from './modules/reviews/index.js'
import {
  createPaymentsModule,
  paymentsMigrations,
  type PaymentsModule,
} from './modules/payments/index.js'

/** The GraphQL schema's SDL: the base, then each module's fragment (schema.graphql prints it). */
export const allTypeDefs: readonly string[] = [
  baseTypeDefs,
  authTypeDefs,
  catalogTypeDefs,
  catalogAdminTypeDefs,
  inventoryTypeDefs,
  ordersTypeDefs,
  ordersAdminTypeDefs,
  cartsTypeDefs,
  flowsTypeDefs,
  flowsAdminTypeDefs,
  promotionsTypeDefs,
  webhooksTypeDefs,
]

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
  wishlistsMigrations,
  recommendationsMigrations,
  reviewsMigrations,
  acpMigrations,
]

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
  notifications: NotificationsModule
  orders: OrdersModule
  wishlists: WishlistsModule
  recommendations: RecommendationsModule
  reviews: ReviewsModule
  flows: Flows
  acp: AcpModule
  runtimes: ModuleRuntime[]
}

/**
 * The composition root: maps the configuration to each module's own settings and wires the
 * modules in dependency order, each getting the platform and the doors of the modules it uses.
 */
export function createModules(platform: PlatformDeps, mailer: Mailer, config: Config): Modules {
  const audit = createAuditModule(platform)
  const auth = createAuthModule({
    ...platform,
    audit: audit.service,
    settings: {
      refreshTokenTtlDays: config.refreshTokenTtlDays,
      isProduction: config.isProduction,
      smtpConfigured: config.smtpUrl !== undefined,
      corsOrigins: config.corsOrigins,
      publicUrl: config.publicUrl,
      mfaEncryptionKeys: config.mfaEncryptionKeys,
      signingKeyEncryptionKeys: config.signingKeyEncryptionKeys,
      requireStaffMfa: config.requireStaffMfa,
      oidcProviders: config.oidcProviders,
    },
  })
  // Variant names for inventory's low-stock list, from the catalog built just below (called
  // only when a request asks, by which time it exists).
  const inventory = createInventoryModule(platform, (variantIds) =>
    catalog.service.getVariantsForPricing(variantIds, config.storeCurrency),
  )
  const catalog = createCatalogModule(
    { ...platform, inventory: inventory.service, storage: createStorage(config.media.storage) },
    {
      storeCurrency: config.storeCurrency,
      cache: config.catalogCache,
      mediaPublicUrl: config.media.publicUrl,
    },
  )
  const customers = createCustomersModule(platform)
  const promotions = createPromotionsModule(platform)
  const carts = createCartsModule(
    {
      ...platform,
      catalog: catalog.service,
      promotions: promotions.service,
    },
    {
      storeCurrency: config.storeCurrency,
      pricesIncludeTax: config.pricesIncludeTax,
      abandonedCartAfterHours: config.abandonedCartAfterHours,
    },
  )
  const webhooks = createWebhooksModule(platform, {
    encryptionKeys: config.webhookEncryptionKeys,
    allowPrivateNetworks: config.webhookAllowPrivateNetworks,
  })
  const operations = createOperationsModule(platform)
  const payments = createPaymentsModule(platform, {
    providers: config.checkout.paymentProviders,
    webhookSecret: config.checkout.paymentWebhookSecret,
    testProviderDelayMs: config.checkout.testProviderDelayMs,
    stripe: config.checkout.stripe,
  })
  const orders = createOrdersModule(platform, { stream: config.orderStreams })
  const wishlists = createWishlistsModule(
    { ...platform, catalog: catalog.service },
    { storeCurrency: config.storeCurrency },
  )
  const recommendations = createRecommendationsModule({
    ...platform,
    catalog: catalog.service,
    orders: orders.service,
  })
  const reviews = createReviewsModule(
    { ...platform, catalog: catalog.service, orders: orders.service },
    { autoPublishVerified: config.reviewsAutoPublishVerified },
  )
  // Workflows across modules come last: they reach the modules only through their doors.
  const flows = createFlows({
    ...platform,
    settings: config.checkout,
    carts: carts.service,
    inventory: inventory.service,
    orders: orders.service,
    refunds: orders.refunds,
    promotions: promotions.service,
    payments: payments.providers,
    catalog: catalog.service,
  })
  // The agent platforms' checkout: sessions are carts, completed through the checkout flow.
  const acp = createAcpModule(
    {
      ...platform,
      carts: carts.service,
      checkout: flows.placeOrder,
      orders: orders.service,
      catalog: catalog.service,
      deliveries: webhooks.deliveries,
    },
    {
      signingSecret: config.acp.signingSecret,
      psp: config.checkout.paymentProviders[0] ?? 'test',
      storefrontUrl: config.storefrontUrl,
      publicUrl: config.publicUrl,
      webhook:
        config.acp.webhookUrl && config.acp.webhookSecret
          ? { url: config.acp.webhookUrl, secret: config.acp.webhookSecret }
          : undefined,
    },
  )
  const notifications = createNotificationsModule(
    {
      ...platform,
      mailer,
      auth,
      catalog: catalog.service,
      cartReminders: carts.reminders,
      inventory: inventory.service,
      orders: orders.service,
      wishlists: wishlists.service,
    },
    {
      mailFrom: config.mailFrom,
      storefrontUrl: config.storefrontUrl,
      storeCurrency: config.storeCurrency,
      apiUrl: config.publicUrl,
    },
  )
  const runtimes = [
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
    wishlists.runtime,
    recommendations.runtime,
    reviews.runtime,
    flows.runtime,
    acp.runtime,
    notifications.runtime,
  ]
  // Agent-facing edges come last: they call the modules' and flows' doors, as REST does.
  const mcp = createMcpRuntime(
    {
      catalog: catalog.service,
      carts: carts.service,
      orders: orders.service,
      placeOrder: flows.placeOrder,
      rateLimits: platform.rateLimits,
      schemas: [...sharedSchemas, ...runtimes.flatMap((r) => r.schemas ?? [])],
      idempotency: { db: platform.database.db, sealingKey: config.idempotencyEncryptionKey },
    },
    {
      version: VERSION,
      host: config.host,
      publicUrl: config.publicUrl,
      corsOrigins: config.corsOrigins,
    },
  )
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
    wishlists,
    recommendations,
    reviews,
    flows,
    acp,
    notifications,
    runtimes: [...runtimes, mcp],
  }
}
