import type { Kysely } from 'kysely'
import type { PlatformDeps } from '../../platform/module.js'
import type { InventoryService } from '../inventory/index.js'
import { createCatalogService } from './catalog.service.js'
import type { CatalogTables } from './catalog.tables.js'
import { createCategoryService } from './categories.service.js'
import { createProductWriter } from './product-writer.js'
import { seedDemoCatalog } from './seed.js'

/** The catalog's API as other modules and its own routes see it: products, categories, seeding. */
export type CatalogApi = ReturnType<typeof createCatalogApi>

export function createCatalogApi(
  deps: PlatformDeps & { inventory: InventoryService },
  storeCurrency: string,
) {
  const catalogDeps = { ...deps, storeCurrency }
  const products = createCatalogService(catalogDeps)
  const categories = createCategoryService(deps)
  return {
    ...products,
    categories,
    seedDemoIfEmpty: () =>
      seedDemoCatalog({
        db: deps.database.db as Kysely<CatalogTables>,
        uow: deps.uow,
        categories,
        writer: createProductWriter(catalogDeps),
      }),
  }
}
