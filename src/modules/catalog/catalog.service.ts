import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/database.js'
import { uniqueViolation } from '../../platform/db/errors.js'
import { type Emit, narrow, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import { CommonErrors } from '../../platform/errors.js'
import { encodeCursor, type Page } from '../../platform/pagination.js'
import type { InventoryService } from '../inventory/index.js'
import type { RatingChangedPayload } from '../reviews/index.js'
import { CatalogErrors } from './catalog.errors.js'
import { CatalogEvents, type ProductEventPayload } from './catalog.events.js'
import { parseCursor, parseSort } from './catalog.listing.js'
import { toAdminProductDtos, toStorefrontDto, type ProductParts } from './catalog.mappers.js'
import * as repo from './catalog.repo.js'
import * as listing from './listing.repo.js'
import { similarProductIds } from './similar.repo.js'
import * as categoriesRepo from './categories.repo.js'
import type {
  AdminProductDto,
  AdminProductListQuery,
  ProductDto,
  ProductInput,
  ProductListQuery,
  ProductPatch,
} from './catalog.schema.js'
import type { CatalogTables } from './catalog.tables.js'
import { createProductWriter } from './product-writer.js'
import { findImages } from './media/media.repo.js'
import type { MediaUrl } from './media/media.urls.js'

export interface CatalogDeps {
  database: Database
  uow: UnitOfWork
  inventory: InventoryService
  storeCurrency: string
  mediaUrl: MediaUrl
}

export type CatalogService = ReturnType<typeof createCatalogService>

/** A variant as a cart prices it. */
export interface VariantPricing {
  variantId: string
  productId: string
  sku: string
  title: string
  productTitle: string
  price: { amount: number; currency: string } | null
  inStock: boolean
  published: boolean
}

export function createCatalogService(deps: CatalogDeps) {
  const db = deps.database.db as Kysely<CatalogTables>
  const read = () => deps.database.read as Kysely<CatalogTables>
  const writer = createProductWriter(deps)

  async function loadParts(d: repo.Db, ids: string[]): Promise<ProductParts> {
    const variants = await repo.findVariants(d, ids)
    const variantIds = variants.map((v) => v.id)
    const [prices, categories, images] = await Promise.all([
      repo.findPrices(d, variantIds),
      repo.findProductCategories(d, ids),
      findImages(d, ids),
    ])
    return { variants, prices, categories, images }
  }

  async function categoryFilter(ref: string | undefined): Promise<string[] | undefined> {
    if (!ref) return undefined
    const category = await categoriesRepo.findCategory(read(), ref)
    if (!category) return [] // an unknown category matches no product
    return categoriesRepo.categoryWithDescendants(read(), category.id)
  }

  async function adminProducts(d: repo.Db, rows: repo.ProductRow[]): Promise<AdminProductDto[]> {
    const parts = await loadParts(
      d,
      rows.map((r) => r.id),
    )
    const stock = await deps.inventory.getLevels(parts.variants.map((v) => v.id))
    return toAdminProductDtos(rows, parts, stock, deps.storeCurrency, deps.mediaUrl)
  }

  async function adminProduct(id: string): Promise<AdminProductDto> {
    const row = await repo.findProductsQuery(db).where('id', '=', id).executeTakeFirst()
    if (!row) throw CatalogErrors.productNotFound(id)
    const [dto] = await adminProducts(db, [row])
    return dto!
  }

  function emitProduct(emit: Emit, type: string, row: repo.ProductRow): void {
    const payload: ProductEventPayload = {
      productId: row.id,
      slug: row.slug,
      status: row.status,
      version: row.version,
    }
    emit({ type, aggregateType: 'product', aggregateId: row.id, payload: { ...payload } })
  }

  /** Turns a unique-index race (two writers past the pre-check) into the same 409 as the pre-check. */
  async function mapConflicts<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      const constraint = uniqueViolation(error)
      if (constraint?.includes('sku'))
        throw CatalogErrors.skuTaken([{ path: '/body', message: 'a SKU' }])
      if (constraint?.includes('slug')) throw CatalogErrors.slugTaken('(concurrent)')
      throw error
    }
  }

  return {
    async listProducts(query: ProductListQuery): Promise<Page<ProductDto>> {
      const currency = query.currency ?? deps.storeCurrency
      const limit = query.limit ?? 20
      if (
        query.minPrice !== undefined &&
        query.maxPrice !== undefined &&
        query.minPrice > query.maxPrice
      ) {
        throw CatalogErrors.invalidPriceRange()
      }
      const keys = parseSort(query.sort, query.q !== undefined)
      const cursor = parseCursor(query.cursor, keys)
      const filter: listing.ListingFilter = {
        currency,
        requirePrice: true,
        status: 'published',
        q: query.q,
        searchMode: cursor?.mode ?? 'fts',
        categoryIds: await categoryFilter(query.category),
        minPrice: query.minPrice,
        maxPrice: query.maxPrice,
        inStock: query.inStock,
      }
      const db = read()
      let rows = await listing.listStorefrontProducts(
        db,
        filter,
        keys,
        cursor?.after ?? null,
        limit,
      )
      // Typo tolerance: a search with no full-text match at all falls back to trigram similarity.
      if (rows.length === 0 && query.q && !cursor) {
        filter.searchMode = 'fuzzy'
        rows = await listing.listStorefrontProducts(db, filter, keys, null, limit)
      }
      const hasMore = rows.length > limit
      const pageRows = rows.slice(0, limit)
      const last = pageRows[pageRows.length - 1]
      return {
        data: pageRows.map((row) => toStorefrontDto(row, deps.mediaUrl)),
        page: {
          nextCursor:
            hasMore && last
              ? encodeCursor([...last.sort_values, filter.searchMode ?? 'fts'])
              : null,
          hasMore,
        },
      }
    },

    async getProduct(idOrSlug: string, currency = deps.storeCurrency): Promise<ProductDto> {
      const row = await listing.findStorefrontProduct(read(), idOrSlug, currency)
      if (!row) throw CatalogErrors.productNotFound(idOrSlug)
      return toStorefrontDto(row, deps.mediaUrl)
    },

    /**
     * Published products by id as `getProduct` shows them (variants priced in `currency`), for
     * batched lookups: one entry per id, in order, null where no published product has it. One
     * statement whatever the number of ids.
     */
    async getProducts(
      ids: readonly string[],
      currency = deps.storeCurrency,
    ): Promise<(ProductDto | null)[]> {
      const unique = [...new Set(ids)]
      if (unique.length === 0) return []
      const rows = await listing.findStorefrontProducts(read(), unique, currency)
      const found = new Map(rows.map((row) => [row.id, toStorefrontDto(row, deps.mediaUrl)]))
      return ids.map((id) => found.get(id) ?? null)
    },

    /**
     * Up to `limit` published products with a variant in stock that resemble `productId` (same
     * categories first, then similar title and description), as `getProduct` shows them, best
     * first; never the product itself nor `excludeIds`.
     */
    async similarProducts(
      productId: string,
      limit: number,
      excludeIds: readonly string[] = [],
      currency = deps.storeCurrency,
    ): Promise<ProductDto[]> {
      const ids = await similarProductIds(read(), productId, limit, excludeIds, currency)
      if (ids.length === 0) return []
      const rows = await listing.findStorefrontProducts(read(), ids, currency)
      const found = new Map(rows.map((row) => [row.id, toStorefrontDto(row, deps.mediaUrl)]))
      return ids.flatMap((id) => found.get(id) ?? [])
    },

    async adminListProducts(query: AdminProductListQuery): Promise<Page<AdminProductDto>> {
      const limit = query.limit ?? 20
      const keys = parseSort(undefined, query.q !== undefined)
      const cursor = parseCursor(query.cursor, keys)
      const filter: listing.ListingFilter = {
        currency: deps.storeCurrency,
        requirePrice: false,
        status: query.status,
        q: query.q,
        searchMode: 'fts',
      }
      const rows = await listing.listProducts(db, filter, keys, cursor?.after ?? null, limit)
      const hasMore = rows.length > limit
      const pageRows = rows.slice(0, limit)
      const last = pageRows.at(-1)
      return {
        data: await adminProducts(db, pageRows),
        page: {
          nextCursor: hasMore && last ? encodeCursor([...last.sort_values, 'fts']) : null,
          hasMore,
        },
      }
    },

    adminGetProduct: adminProduct,

    async createProduct(input: ProductInput): Promise<AdminProductDto> {
      const row = await mapConflicts(() =>
        deps.uow.run(async (trx, emit) => {
          const [created] = await writer.insertProducts(narrow<CatalogTables>(trx), [input])
          emitProduct(emit, CatalogEvents.productCreated, created!)
          return created!
        }),
      )
      return adminProduct(row.id)
    },

    /** All or nothing: one transaction, the first conflict fails the whole batch. */
    async createProducts(inputs: ProductInput[]): Promise<AdminProductDto[]> {
      const rows = await mapConflicts(() =>
        deps.uow.run(async (trx, emit) => {
          const created = await writer.insertProducts(
            narrow<CatalogTables>(trx),
            inputs,
            '/body/products',
          )
          for (const row of created) emitProduct(emit, CatalogEvents.productCreated, row)
          return created
        }),
      )
      return adminProducts(db, rows)
    },

    async updateProduct(
      id: string,
      patch: ProductPatch,
      expectedVersion?: number,
    ): Promise<AdminProductDto> {
      await mapConflicts(() =>
        deps.uow.run(async (trx, emit) => {
          const t = narrow<CatalogTables>(trx)
          const current = await repo.lockProduct(t, id)
          if (!current) throw CatalogErrors.productNotFound(id)
          if (expectedVersion !== undefined && current.version !== expectedVersion)
            throw CommonErrors.staleVersion()
          const updated = await writer.updateProduct(t, current, patch)
          emitProduct(emit, CatalogEvents.productUpdated, updated)
        }),
      )
      return adminProduct(id)
    },

    async deleteProduct(id: string, expectedVersion?: number): Promise<void> {
      await deps.uow.run(async (trx, emit) => {
        const t = narrow<CatalogTables>(trx)
        const current = await repo.lockProduct(t, id)
        if (!current) throw CatalogErrors.productNotFound(id)
        if (expectedVersion !== undefined && current.version !== expectedVersion)
          throw CommonErrors.staleVersion()
        await repo.softDeleteProduct(t, id)
        emitProduct(emit, CatalogEvents.productDeleted, {
          ...current,
          version: current.version + 1,
        })
      })
    },

    ...writer.variantOperations(adminProduct, emitProduct, mapConflicts),

    /** Applies `inventory.stock_changed` to the storefront's in-stock flag (idempotent). */
    /**
     * What a cart needs to price lines: live variants only (unknown or deleted ones are absent),
     * `price` null when the variant has none in `currency`. Read from the primary: a cart must
     * not price against a lagging replica.
     */
    async getVariantsForPricing(variantIds: string[], currency: string): Promise<VariantPricing[]> {
      const rows = await repo.findVariantsForPricing(db, [...new Set(variantIds)], currency)
      return rows.map((r) => ({
        variantId: r.variant_id,
        productId: r.product_id,
        sku: r.sku,
        title: r.title,
        productTitle: r.product_title,
        price: r.amount === null ? null : { amount: r.amount, currency },
        inStock: r.in_stock,
        published: r.status === 'published',
      }))
    },

    /**
     * Applies a stock change to the storefront's in-stock flag. Resolves true when storefront
     * replies may have changed: the flag flipped, or this exact version was applied before (a
     * redelivery: the first delivery may have failed after the write, before its invalidation).
     * An older version than the one applied, an unknown variant or an unchanged flag: false.
     */
    async applyStockChanged(payload: {
      variantId: string
      available: number
      version: number
    }): Promise<boolean> {
      const inStock = payload.available > 0
      const before = await repo.setVariantInStock(db, payload.variantId, inStock, payload.version)
      if (!before) return false
      if (before.wasVersion === payload.version) return true
      return before.wasVersion < payload.version && before.wasInStock !== inStock
    },

    /** Applies `product.rating_changed` to the product's rating columns (newer versions only). */
    async applyRatingChanged(payload: RatingChangedPayload): Promise<void> {
      await repo.setProductRating(db, payload, payload.version)
    },

    countProducts: () => repo.countLiveProducts(db),
  }
}
