import type { Kysely } from 'kysely'
import type { PlatformDeps } from '../../platform/module.js'
import type { Storage } from '../../platform/storage/storage.js'
import type { InventoryService } from '../inventory/index.js'
import { createCatalogService } from './catalog.service.js'
import type { CatalogTables } from './catalog.tables.js'
import { createCategoryService } from './categories.service.js'
import { createMediaService } from './media/media.service.js'
import { mediaUrlFrom } from './media/media.urls.js'
import { createProductWriter } from './product-writer.js'
import { seedDemoCatalog } from './seed.js'

/** The catalog's API as other modules and its own routes see it: products, categories, seeding. */
export type CatalogApi = ReturnType<typeof createCatalogApi>

export function createCatalogApi(
  deps: PlatformDeps & { inventory: InventoryService; storage: Storage },
  storeCurrency: string,
  mediaPublicUrl: string,
) {
  const mediaUrl = mediaUrlFrom(mediaPublicUrl)
  const catalogDeps = { ...deps, storeCurrency, mediaUrl }
  const products = createCatalogService(catalogDeps)
  const categories = createCategoryService(deps)
  return {
    ...products,
    categories,
    images: createMediaService(catalogDeps),
    seedDemoIfEmpty: () =>
      seedDemoCatalog({
        db: deps.database.db as Kysely<CatalogTables>,
        uow: deps.uow,
        categories,
        writer: createProductWriter(catalogDeps),
      }),
  }
}
