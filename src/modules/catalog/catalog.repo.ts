import { sql, type Kysely, type Transaction } from 'kysely'
import type { CatalogTables } from './catalog.tables.js'

export type Db = Kysely<CatalogTables> | Transaction<CatalogTables>

export interface ProductRow {
  id: string
  slug: string
  title: string
  description: string
  status: 'draft' | 'published'
  version: number
  created_at: Date
  updated_at: Date
  rating_average: string | number | null
  rating_count: number
  rating_distribution: Record<string, number>
}

export interface VariantRow {
  id: string
  product_id: string
  sku: string
  title: string
  options: Record<string, string>
  in_stock: boolean
  position: number
}

export interface PriceRow {
  variant_id: string
  currency: string
  amount: number
}

export const PRODUCT_COLUMNS = [
  'id',
  'slug',
  'title',
  'description',
  'status',
  'version',
  'created_at',
  'updated_at',
  'rating_average',
  'rating_count',
  'rating_distribution',
] as const

// ---------------------------------------------------------------- products

export function findProductsQuery(db: Db) {
  return db.selectFrom('catalog.product').select(PRODUCT_COLUMNS).where('deleted_at', 'is', null)
}

export async function lockProduct(trx: Db, id: string): Promise<ProductRow | undefined> {
  return findProductsQuery(trx).where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function slugTaken(db: Db, slug: string, exceptId?: string): Promise<boolean> {
  let query = db
    .selectFrom('catalog.product')
    .select('id')
    .where('slug', '=', slug)
    .where('deleted_at', 'is', null)
  if (exceptId) query = query.where('id', '!=', exceptId)
  return (await query.executeTakeFirst()) !== undefined
}

export async function takenSkus(
  db: Db,
  skus: string[],
  exceptVariantId?: string,
): Promise<string[]> {
  if (skus.length === 0) return []
  let query = db
    .selectFrom('catalog.variant')
    .select('sku')
    .where('sku', 'in', skus)
    .where('deleted_at', 'is', null)
  if (exceptVariantId) query = query.where('id', '!=', exceptVariantId)
  return (await query.execute()).map((r) => r.sku)
}

export async function insertProduct(
  trx: Db,
  row: Pick<ProductRow, 'id' | 'slug' | 'title' | 'description' | 'status'>,
): Promise<ProductRow> {
  return trx
    .insertInto('catalog.product')
    .values(row)
    .returning(PRODUCT_COLUMNS)
    .executeTakeFirstOrThrow()
}

/** Several products in one statement, returned in the order given. */
export async function insertProducts(
  trx: Db,
  rows: Pick<ProductRow, 'id' | 'slug' | 'title' | 'description' | 'status'>[],
): Promise<ProductRow[]> {
  if (rows.length === 0) return []
  const inserted = await trx
    .insertInto('catalog.product')
    .values(rows)
    .returning(PRODUCT_COLUMNS)
    .execute()
  const byId = new Map(inserted.map((r) => [r.id, r]))
  return rows.map((r) => byId.get(r.id)!)
}

export async function insertProductCategories(
  trx: Db,
  links: { product_id: string; category_id: string }[],
): Promise<void> {
  if (links.length > 0) await trx.insertInto('catalog.product_category').values(links).execute()
}

export async function updateProduct(
  trx: Db,
  id: string,
  changes: Partial<Pick<ProductRow, 'slug' | 'title' | 'description' | 'status'>>,
): Promise<ProductRow> {
  return trx
    .updateTable('catalog.product')
    .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .returning(PRODUCT_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function softDeleteProduct(trx: Db, id: string): Promise<void> {
  await trx
    .updateTable('catalog.product')
    .set({ deleted_at: sql`now()`, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute()
  await trx
    .updateTable('catalog.variant')
    .set({ deleted_at: sql`now()` })
    .where('product_id', '=', id)
    .execute()
}

/** Fresh statistics after a bulk load, so the planner picks the per-product indexes at once. */
export async function analyzeCatalog(db: Db): Promise<void> {
  for (const table of ['product', 'variant', 'variant_price', 'product_category', 'category']) {
    await sql`analyze ${sql.table(`catalog.${table}`)}`.execute(db)
  }
}

export async function countLiveProducts(db: Db): Promise<number> {
  const row = await db
    .selectFrom('catalog.product')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

// ---------------------------------------------------------------- variants and prices

export async function insertVariants(
  trx: Db,
  rows: {
    id: string
    product_id: string
    sku: string
    title: string
    options: Record<string, string>
    position: number
    in_stock: boolean
  }[],
): Promise<void> {
  if (rows.length === 0) return
  await trx
    .insertInto('catalog.variant')
    .values(rows.map((r) => ({ ...r, options: JSON.stringify(r.options) })))
    .execute()
}

export async function updateVariant(
  trx: Db,
  id: string,
  changes: {
    sku?: string | undefined
    title?: string | undefined
    options?: Record<string, string> | undefined
  },
): Promise<void> {
  const { options, ...rest } = changes
  await trx
    .updateTable('catalog.variant')
    .set({
      ...rest,
      ...(options ? { options: JSON.stringify(options) } : {}),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute()
}

export async function softDeleteVariant(trx: Db, id: string): Promise<void> {
  await trx
    .updateTable('catalog.variant')
    .set({ deleted_at: sql`now()` })
    .where('id', '=', id)
    .execute()
}

export async function replacePrices(trx: Db, variantId: string, prices: PriceRow[]): Promise<void> {
  await trx.deleteFrom('catalog.variant_price').where('variant_id', '=', variantId).execute()
  await insertPrices(trx, prices)
}

export async function insertPrices(trx: Db, prices: PriceRow[]): Promise<void> {
  if (prices.length > 0) await trx.insertInto('catalog.variant_price').values(prices).execute()
}

export async function findVariants(db: Db, productIds: string[]): Promise<VariantRow[]> {
  if (productIds.length === 0) return []
  return db
    .selectFrom('catalog.variant')
    .select(['id', 'product_id', 'sku', 'title', 'options', 'in_stock', 'position'])
    .where('product_id', 'in', productIds)
    .where('deleted_at', 'is', null)
    .orderBy('product_id')
    .orderBy('position')
    .orderBy('id')
    .execute()
}

export async function findPrices(db: Db, variantIds: string[]): Promise<PriceRow[]> {
  if (variantIds.length === 0) return []
  return db
    .selectFrom('catalog.variant_price')
    .select(['variant_id', 'currency', 'amount'])
    .where('variant_id', 'in', variantIds)
    .orderBy('variant_id')
    .orderBy('currency')
    .execute()
}

/**
 * The stock projection: applies only newer stock versions, so redelivery and reordering are
 * harmless. Returns the variant's flag and version as they were before (undefined: no such
 * variant), in the same statement and under the row lock, so the caller can tell whether the
 * storefront-visible flag flipped.
 */
export async function setVariantInStock(
  db: Db,
  variantId: string,
  inStock: boolean,
  stockVersion: number,
): Promise<{ wasInStock: boolean; wasVersion: number } | undefined> {
  const { rows } = await sql<{ was_in_stock: boolean; was_version: number }>`
    with before as (
      select id, in_stock, stock_version from catalog.variant where id = ${variantId} for update
    ), applied as (
      update catalog.variant v set in_stock = ${inStock}, stock_version = ${stockVersion}
        from before where v.id = before.id and before.stock_version < ${stockVersion}
      returning v.id
    )
    select before.in_stock as was_in_stock, before.stock_version as was_version
      from before left join applied on applied.id = before.id`.execute(db)
  const row = rows[0]
  return row && { wasInStock: row.was_in_stock, wasVersion: Number(row.was_version) }
}

/**
 * The rating projection: applies only a newer rating version, so redelivery and reordering are
 * harmless. Leaves `version` and `updated_at` alone: a review never fails an admin's If-Match.
 */
export async function setProductRating(
  db: Db,
  rating: { productId: string; average: number | null; count: number; distribution: object },
  ratingVersion: number,
): Promise<void> {
  await db
    .updateTable('catalog.product')
    .set({
      rating_average: rating.average,
      rating_count: rating.count,
      rating_distribution: JSON.stringify(rating.distribution),
      rating_version: ratingVersion,
    })
    .where('id', '=', rating.productId)
    .where('rating_version', '<', ratingVersion)
    .execute()
}

// ---------------------------------------------------------------- product ↔ category links

export async function findProductCategories(
  db: Db,
  productIds: string[],
): Promise<{ product_id: string; id: string; slug: string; name: string }[]> {
  if (productIds.length === 0) return []
  return db
    .selectFrom('catalog.product_category as pc')
    .innerJoin('catalog.category as c', 'c.id', 'pc.category_id')
    .select(['pc.product_id', 'c.id', 'c.slug', 'c.name'])
    .where('pc.product_id', 'in', productIds)
    .orderBy('c.position')
    .orderBy('c.name')
    .execute()
}

export async function setProductCategories(
  trx: Db,
  productId: string,
  categoryIds: string[],
): Promise<void> {
  await trx.deleteFrom('catalog.product_category').where('product_id', '=', productId).execute()
  if (categoryIds.length === 0) return
  await trx
    .insertInto('catalog.product_category')
    .values(categoryIds.map((category_id) => ({ product_id: productId, category_id })))
    .execute()
}

// ---------------------------------------------------------------- pricing (for carts)

export interface PricingRow {
  variant_id: string
  product_id: string
  sku: string
  title: string
  product_title: string
  status: 'draft' | 'published'
  in_stock: boolean
  amount: number | null
}

/** Live variants with their product and their price in one currency (null when unpriced). */
export async function findVariantsForPricing(
  db: Db,
  variantIds: string[],
  currency: string,
): Promise<PricingRow[]> {
  if (variantIds.length === 0) return []
  return db
    .selectFrom('catalog.variant as v')
    .innerJoin('catalog.product as p', 'p.id', 'v.product_id')
    .leftJoin('catalog.variant_price as vp', (join) =>
      join.onRef('vp.variant_id', '=', 'v.id').on('vp.currency', '=', currency),
    )
    .select([
      'v.id as variant_id',
      'v.product_id',
      'v.sku',
      'v.title',
      'p.title as product_title',
      'p.status',
      'v.in_stock',
      'vp.amount',
    ])
    .where('v.id', 'in', variantIds)
    .where('v.deleted_at', 'is', null)
    .where('p.deleted_at', 'is', null)
    .execute()
}
