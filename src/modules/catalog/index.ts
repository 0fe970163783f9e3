import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime } from '../../platform/module.js'
import type { PlatformDeps } from '../../platform/module.js'
import type { Storage } from '../../platform/storage/storage.js'
import type { InventoryService } from '../inventory/index.js'
import { createCatalogApi, type CatalogApi } from './catalog.api.js'
import {
  cacheInvalidations,
  createCatalogCache,
  type CatalogCacheSettings,
} from './catalog.cache.js'
import { catalogSchemas } from './catalog.schema.js'
import { listingQuery } from './listing.repo.js'
import type { CatalogTables } from './catalog.tables.js'
import { adminRoutes } from './catalog.admin-routes.js'
import { storeRoutes } from './catalog.store-routes.js'
import { catalogGraphql } from './catalog.graphql.js'
import { catalogAdminGraphql } from './catalog.admin-graphql.js'
import { mediaSchemas } from './media/media.schema.js'
import { mediaAdminRoutes } from './media/media.routes.js'
import { mediaServeRoutes } from './media/media.serve.js'
import { mediaPurge } from './media/media.purge.js'
import { createCatalogTables } from './migrations/2026_11_21_0630_create_catalog_tables.js'
import { createProductImage } from './migrations/2026_12_06_2330_create_product_image.js'
import * as addProductRating from './migrations/2026_12_06_2331_add_product_rating.js'

export { catalogTypeDefs, productLoader } from './catalog.graphql.js'
export { catalogAdminTypeDefs } from './catalog.admin-graphql.js'
export { CatalogEvents, type ProductEventPayload } from './catalog.events.js'
export type { AdminProductDto, ProductDto, ProductInput } from './catalog.schema.js'
export {
  CurrencyQuery,
  IdOrSlugParams,
  ProductListQuery,
  ProductPage,
  ProductSchema,
} from './catalog.schema.js'
export type { VariantPricing } from './catalog.service.js'
export type { CatalogApi } from './catalog.api.js'

export const catalogMigrations: MigrationSet = {
  '2026_11_21_0630_create_catalog_tables': createCatalogTables,
  '2026_12_06_2330_create_product_image': createProductImage,
  '2026_12_06_2331_add_product_rating': addProductRating,
}

/** What the catalog module reads from the configuration. */
export interface CatalogSettings {
  storeCurrency: string
  /** Storefront replies kept in-process: entry TTL (0 turns it off) and size bounds. */
  cache: CatalogCacheSettings
  /** Image URLs are `<mediaPublicUrl>/<storage key>`. */
  mediaPublicUrl: string
}

export interface CatalogModule {
  runtime: ModuleRuntime
  service: CatalogApi
}

export function createCatalogModule(
  deps: PlatformDeps & { inventory: InventoryService; storage: Storage },
  settings: CatalogSettings,
): CatalogModule {
  const service = createCatalogApi(deps, settings.storeCurrency, settings.mediaPublicUrl)
  const cache = createCatalogCache(deps.caches, settings.cache)
  return {
    service,
    runtime: {
      name: 'catalog',
      schemas: [...mediaSchemas, ...catalogSchemas],
      routes: async (app) => {
        await app.register(storeRoutes(service, cache))
        await app.register(adminRoutes(service))
        await app.register(mediaAdminRoutes(service.images))
        await app.register(mediaServeRoutes(deps.storage))
      },
      graphql: [catalogGraphql(service, cache), catalogAdminGraphql(service)],
      subscriptions: [
        ...cacheInvalidations(cache, {
          applyStockChanged: (payload) => service.applyStockChanged(payload),
          applyRatingChanged: (payload) => service.applyRatingChanged(payload),
        }),
        ...mediaPurge(service.images),
      ],
    },
  }
}

/** The SQL one storefront listing page runs (for the bench's bare-`pg` ceiling). */
export function productListingSql(
  currency: string,
  limit: number,
): { sql: string; parameters: unknown[] }[] {
  const compiled = listingQuery(
    { currency, requirePrice: true, status: 'published', searchMode: 'fts' },
    [{ field: 'createdAt', desc: true }],
    null,
    limit,
    true,
  ).compile(
    new Kysely<CatalogTables>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new PostgresIntrospector(db),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    }),
  )
  return [{ sql: compiled.sql, parameters: [...compiled.parameters] }]
}
