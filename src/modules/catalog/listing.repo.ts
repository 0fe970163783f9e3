import { sql, type RawBuilder } from 'kysely'
import type { CursorValues } from '../../platform/pagination.js'
import type { Db, ProductRow } from './catalog.repo.js'
import type { ImageKeys } from './media/media.urls.js'

// Listings: filters, sort keys and keyset pagination, as SQL.

export type SortField = 'price' | 'createdAt' | 'title' | 'relevance'
export interface SortKey {
  field: SortField
  desc: boolean
}

export interface ListingFilter {
  currency: string
  /** The storefront asks for published products priced in `currency`; admins see everything. */
  status?: 'draft' | 'published' | undefined
  requirePrice: boolean
  q?: string | undefined
  /** 'fts' ranks with tsvector; 'fuzzy' is the typo-tolerant trigram fallback. */
  searchMode?: 'fts' | 'fuzzy'
  categoryIds?: string[] | undefined
  minPrice?: number | undefined
  maxPrice?: number | undefined
  inStock?: boolean | undefined
}

export interface ListedRow extends ProductRow {
  sort_values: CursorValues
}

/** A storefront row: the product with its priced variants and categories, built by the database. */
export interface StorefrontRow extends ListedRow {
  variants: {
    id: string
    sku: string
    title: string
    options: Record<string, string>
    price: { amount: number; currency: string }
    inStock: boolean
  }[]
  categories: { id: string; slug: string; name: string }[]
  images: ImageKeys[]
}

/** One variant priced in `currency` as the storefront shows it; `v` and `vp` are in scope. */
const VARIANT_JSON = sql`json_agg(json_build_object('id', v.id, 'sku', v.sku, 'title', v.title,
        'options', v.options, 'price', json_build_object('amount', vp.amount, 'currency', vp.currency),
        'inStock', v.in_stock) order by v.position, v.id)`

/** The variants of product `p` priced in `currency`, and their lowest price, in one aggregate. */
function pricedVariants(currency: string, withVariants: boolean): RawBuilder<unknown> {
  return sql`(
      select min(vp.amount) as min_price ${withVariants ? sql`, ${VARIANT_JSON} as variants` : sql``}
      from catalog.variant v
      join catalog.variant_price vp on vp.variant_id = v.id and vp.currency = ${currency}
      where v.product_id = p.id and v.deleted_at is null)`
}

const CATEGORIES = sql`coalesce((select json_agg(json_build_object('id', c.id, 'slug', c.slug, 'name', c.name)
        order by c.position, c.name)
      from catalog.product_category pc join catalog.category c on c.id = pc.category_id
      where pc.product_id = p.id), '[]'::json) as categories`

const IMAGES = sql`coalesce((select json_agg(json_build_object('id', i.id, 'alt', i.alt, 'width', i.width,
        'height', i.height, 'original_key', i.original_key, 'small_key', i.small_key,
        'medium_key', i.medium_key) order by i.position, i.id)
      from catalog.product_image i
      where i.product_id = p.id and i.deleted_at is null), '[]'::json) as images`

/**
 * The variants priced in `currency` and the categories of product `p`, as JSON columns: one
 * statement per page instead of one per relation. PostgreSQL evaluates these after LIMIT.
 */
function storefrontColumns(currency: string): RawBuilder<unknown> {
  return sql`,
    coalesce((select ${VARIANT_JSON}
      from catalog.variant v
      join catalog.variant_price vp on vp.variant_id = v.id and vp.currency = ${currency}
      where v.product_id = p.id and v.deleted_at is null), '[]'::json) as variants,
    ${CATEGORIES}, ${IMAGES}`
}

function sortExpression(field: SortField, filter: ListingFilter): RawBuilder<unknown> {
  switch (field) {
    case 'price':
      return sql`pr.min_price`
    case 'createdAt':
      return sql`p.created_at`
    case 'title':
      return sql`p.title`
    case 'relevance':
      if (!filter.q) return sql`0::float8`
      return filter.searchMode === 'fuzzy'
        ? sql`word_similarity(${filter.q}, p.title)::float8`
        : sql`ts_rank_cd(p.search, websearch_to_tsquery('english', ${filter.q}))::float8`
  }
}

/** How a sort value travels in a cursor, and how it is compared back (exactly, to the µs). */
function cursorValue(field: SortField, expr: RawBuilder<unknown>): RawBuilder<unknown> {
  return field === 'createdAt' ? sql`${expr}::text` : expr
}
function cursorParam(field: SortField, value: string | number | null): RawBuilder<unknown> {
  return field === 'createdAt' ? sql`${value}::timestamptz` : sql`${value}`
}

/** `(k1, k2, …) > (v1, v2, …)` honouring each key's direction, id ascending last. */
function keysetCondition(
  keys: SortKey[],
  filter: ListingFilter,
  after: CursorValues,
): RawBuilder<unknown> {
  const terms = [
    ...keys.map((k, i) => ({
      expr: sortExpression(k.field, filter),
      desc: k.desc,
      param: cursorParam(k.field, after[i] ?? null),
    })),
    { expr: sql`p.id`, desc: false, param: sql`${after[keys.length] ?? null}` },
  ]
  const ors = terms.map((term, i) => {
    const equal = terms.slice(0, i).map((t) => sql`${t.expr} = ${t.param}`)
    const step = term.desc ? sql`${term.expr} < ${term.param}` : sql`${term.expr} > ${term.param}`
    return sql`(${sql.join([...equal, step], sql` and `)})`
  })
  return sql`(${sql.join(ors, sql` or `)})`
}

function listingConditions(filter: ListingFilter): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [sql`p.deleted_at is null`]
  if (filter.requirePrice) where.push(sql`pr.min_price is not null`)
  // A literal, not a parameter, so the planner can use the partial index for published products.
  if (filter.status) where.push(sql`p.status = ${sql.lit(filter.status)}`)
  if (filter.q && filter.searchMode !== 'fuzzy') {
    where.push(sql`p.search @@ websearch_to_tsquery('english', ${filter.q})`)
  }
  if (filter.q && filter.searchMode === 'fuzzy')
    where.push(sql`word_similarity(${filter.q}, p.title) >= 0.45`)
  if (filter.categoryIds) {
    where.push(sql`exists (select 1 from catalog.product_category pc
      where pc.product_id = p.id and pc.category_id = any(${filter.categoryIds}::text[]))`)
  }
  if (filter.minPrice !== undefined || filter.maxPrice !== undefined || filter.inStock) {
    const variantWhere = [sql`v.product_id = p.id`, sql`v.deleted_at is null`]
    if (filter.inStock) variantWhere.push(sql`v.in_stock`)
    if (filter.minPrice !== undefined) variantWhere.push(sql`vp.amount >= ${filter.minPrice}`)
    if (filter.maxPrice !== undefined) variantWhere.push(sql`vp.amount <= ${filter.maxPrice}`)
    where.push(sql`exists (select 1 from catalog.variant v join catalog.variant_price vp
      on vp.variant_id = v.id and vp.currency = ${filter.currency} where ${sql.join(variantWhere, sql` and `)})`)
  }
  return where
}

export function listingQuery<R extends ListedRow = ListedRow>(
  filter: ListingFilter,
  keys: SortKey[],
  after: CursorValues | null,
  limit: number,
  withDetails = false,
): RawBuilder<R> {
  const where = listingConditions(filter)
  if (after) where.push(keysetCondition(keys, filter, after))
  const order = [
    ...keys.map((k) => sql`${sortExpression(k.field, filter)} ${sql.raw(k.desc ? 'desc' : 'asc')}`),
    sql`p.id asc`,
  ]
  const sortValues = keys.map((k) => cursorValue(k.field, sortExpression(k.field, filter)))
  // Newest first walks product_listing_idx and stops at the page's end, so the lateral that
  // decides "has a price" runs for the page's rows only: it builds their variants in the same
  // pass (one scan of variants and prices, one plan node less). Other orders sort every match
  // first: there the lateral stays a bare min() and the variants are built after LIMIT.
  const variantsInline = withDetails && keys.every((k) => k.field === 'createdAt')
  const details = !withDetails
    ? sql``
    : variantsInline
      ? sql`, coalesce(pr.variants, '[]'::json) as variants, ${CATEGORIES}, ${IMAGES}`
      : storefrontColumns(filter.currency)
  return sql<R>`
    select p.id, p.slug, p.title, p.description, p.status, p.version, p.created_at, p.updated_at,
      p.rating_average, p.rating_count, p.rating_distribution,
      json_build_array(${sql.join([...sortValues, sql`p.id`])}) as sort_values
      ${details}
    from catalog.product p
    cross join lateral ${pricedVariants(filter.currency, variantsInline)} pr
    where ${sql.join(where, sql` and `)}
    order by ${sql.join(order)}
    limit ${limit + 1}`
}

export async function listProducts(
  db: Db,
  filter: ListingFilter,
  keys: SortKey[],
  after: CursorValues | null,
  limit: number,
): Promise<ListedRow[]> {
  return (await listingQuery(filter, keys, after, limit).execute(db)).rows
}

export async function listStorefrontProducts(
  db: Db,
  filter: ListingFilter,
  keys: SortKey[],
  after: CursorValues | null,
  limit: number,
): Promise<StorefrontRow[]> {
  return (await listingQuery<StorefrontRow>(filter, keys, after, limit, true).execute(db)).rows
}

/** Published products with their storefront details: the select that a `where` completes. */
function storefrontSelect(currency: string): RawBuilder<unknown> {
  return sql`
    select p.id, p.slug, p.title, p.description, p.status, p.version, p.created_at, p.updated_at,
      p.rating_average, p.rating_count, p.rating_distribution,
      '[]'::json as sort_values ${storefrontColumns(currency)}
    from catalog.product p
    where p.deleted_at is null and p.status = 'published'`
}

/** One published product by id or slug, with its storefront details, in one statement. */
export async function findStorefrontProduct(
  db: Db,
  idOrSlug: string,
  currency: string,
): Promise<StorefrontRow | undefined> {
  const result = await sql<StorefrontRow>`${storefrontSelect(currency)}
    and (p.id = ${idOrSlug} or p.slug = ${idOrSlug})
    limit 1`.execute(db)
  return result.rows[0]
}

/** The published ones of these products by id (in no order), in one statement. */
export async function findStorefrontProducts(
  db: Db,
  ids: readonly string[],
  currency: string,
): Promise<StorefrontRow[]> {
  const result = await sql<StorefrontRow>`${storefrontSelect(currency)}
    and p.id in (${sql.join(ids)})`.execute(db)
  return result.rows
}
