import type { Kysely } from 'kysely'
import { narrow, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import type { CategoryService } from './categories.service.js'
import { CatalogEvents } from './catalog.events.js'
import { analyzeCatalog, countLiveProducts } from './catalog.repo.js'
import type { ProductInput } from './catalog.schema.js'
import type { CatalogTables } from './catalog.tables.js'
import type { createProductWriter } from './product-writer.js'
import { demoCategories, demoProducts } from './seed/demo-catalog.js'

/**
 * Loads the demo catalog into an empty store, in one transaction (a crash leaves nothing half
 * loaded), with multi-row inserts: a few statements per table instead of several per product. Returns how many products it created: 0 when the store already had products.
 */
export async function seedDemoCatalog(deps: {
  db: Kysely<CatalogTables>
  uow: UnitOfWork
  categories: CategoryService
  writer: ReturnType<typeof createProductWriter>
}): Promise<number> {
  if ((await countLiveProducts(deps.db)) > 0) return 0
  return deps.uow.run(async (trx, emit) => {
    const ids = await deps.categories.createMany(trx, demoCategories)
    const inputs: ProductInput[] = demoProducts.map((p) => ({
      title: p.title,
      slug: p.slug,
      description: p.description,
      status: 'published',
      categoryIds: p.categorySlugs.map((s) => ids.get(s)!),
      variants: p.variants.map((v) => ({
        sku: v.sku,
        title: v.title,
        options: v.options,
        price: { amount: v.prices.EUR, currency: 'EUR' },
        prices: [
          { amount: v.prices.USD, currency: 'USD' },
          { amount: v.prices.GBP, currency: 'GBP' },
        ],
        onHand: v.onHand,
      })),
    }))
    const rows = await deps.writer.insertNewProducts(narrow<CatalogTables>(trx), inputs)
    for (const row of rows) {
      emit({
        type: CatalogEvents.productCreated,
        aggregateType: 'product',
        aggregateId: row.id,
        payload: { productId: row.id, slug: row.slug, status: row.status, version: row.version },
      })
    }
    await analyzeCatalog(narrow<CatalogTables>(trx))
    return rows.length
  })
}
