import type { Kysely } from 'kysely'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime, PlatformDeps } from '../../platform/module.js'
import type { CatalogApi } from '../catalog/index.js'
import * as createWishlists from './migrations/2026_12_06_2300_create_wishlists.js'
import { createAlerts, wishlistSubscriptions, type Alerts } from './wishlists.alerts.js'
import { unsubscribeRoute, wishlistsRoutes } from './wishlists.routes.js'
import { wishlistsSchemas } from './wishlists.schema.js'
import { createWishlistsService, type WishlistsService } from './wishlists.service.js'
import type { WishlistsTables } from './wishlists.tables.js'

export const wishlistsMigrations: MigrationSet = {
  '2026_12_06_2300_create_wishlists': createWishlists,
}

/** What the wishlists module reads from the configuration. */
export interface WishlistsSettings {
  /** Wishlists show and compare prices in the store currency. */
  storeCurrency: string
}

export interface WishlistsModule {
  runtime: ModuleRuntime
  service: WishlistsService
  alerts: Alerts
}

export function createWishlistsModule(
  deps: PlatformDeps & { catalog: Pick<CatalogApi, 'getProducts' | 'getVariantsForPricing'> },
  settings: WishlistsSettings,
): WishlistsModule {
  const db = deps.database.db as Kysely<WishlistsTables>
  const logger = deps.logger.child({ module: 'wishlists' })
  const common = { db, uow: deps.uow, catalog: deps.catalog, currency: settings.storeCurrency }
  const service = createWishlistsService({ ...common, logger })
  const alerts = createAlerts({ ...common, logger })
  return {
    service,
    alerts,
    runtime: {
      name: 'wishlists',
      schemas: wishlistsSchemas,
      routes: async (app) => {
        await app.register(wishlistsRoutes(service))
        await app.register(unsubscribeRoute(service))
      },
      subscriptions: wishlistSubscriptions(alerts, service),
    },
  }
}

export type { WishlistsService } from './wishlists.service.js'
export type { AlertKind } from './wishlists.tables.js'
export { WishlistEvents, type WishlistAlertPayload } from './wishlists.events.js'
export { WishlistsErrors } from './wishlists.errors.js'
