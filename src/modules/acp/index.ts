import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime, PlatformDeps } from '../../platform/module.js'
import type { AcpDb } from './acp.repo.js'
import type { WebhookDeliveryService } from '../webhooks/index.js'
import { acpFeedRoutes, type FeedCatalog } from './acp.feed.js'
import { orderEventSubscriptions, type OrderEventsDeps } from './acp.order-events.js'
import { acpSessionRoutes } from './acp.routes.js'
import type { SessionCarts } from './acp.cart-sync.js'
import {
  createAcpSessionService,
  type AcpSessionDeps,
  type AcpSessionService,
  type CheckoutDoor,
} from './acp.service.js'
import * as createAcp from './migrations/2026_12_06_2330_create_acp.js'

export const acpMigrations: MigrationSet = {
  '2026_12_06_2330_create_acp': createAcp,
}

/** What the ACP module reads from the configuration. */
export interface AcpSettings {
  /** `ACP_SIGNING_SECRET`: when set, every /acp request must carry a valid `Signature`. */
  signingSecret: string | undefined
  /** The payment service provider named in the advertised payment handler. */
  psp: string
  /** Where a buyer reads an order (`<storefront>/orders/<id>`) and a product. */
  storefrontUrl: string
  /** This API's address, for the feed's next-page links. */
  publicUrl: string
  /** The agent platform's order-events receiver (`ACP_WEBHOOK_URL`, `ACP_WEBHOOK_SECRET`). */
  webhook: { url: string; secret: string } | undefined
}

export interface AcpModule {
  runtime: ModuleRuntime
  sessions: AcpSessionService
}

export function createAcpModule(
  deps: PlatformDeps & {
    carts: SessionCarts
    checkout: CheckoutDoor
    orders: AcpSessionDeps['orders'] & OrderEventsDeps['orders']
    catalog: FeedCatalog
    deliveries: Pick<WebhookDeliveryService, 'deliverTo'>
  },
  settings: AcpSettings,
): AcpModule {
  const db = deps.database.db as AcpDb
  const context = {
    psp: settings.psp,
    orderUrl: (orderId: string) => `${settings.storefrontUrl}/orders/${orderId}`,
  }
  const sessions = createAcpSessionService({
    db,
    carts: deps.carts,
    checkout: deps.checkout,
    orders: deps.orders,
    context,
  })
  return {
    sessions,
    runtime: {
      name: 'acp',
      routes: async (app) => {
        await app.register(acpSessionRoutes(sessions, settings.signingSecret))
        await app.register(acpFeedRoutes(deps.catalog, settings.publicUrl, settings.storefrontUrl))
      },
      subscriptions: orderEventSubscriptions({
        db,
        orders: deps.orders,
        deliveries: deps.deliveries,
        orderUrl: context.orderUrl,
        webhook: settings.webhook,
      }),
    },
  }
}

export { ACP_VERSION } from './acp.spec.js'
export { ACP_PERMISSION } from './acp.routes.js'
