import type { StockLevel } from '../inventory/index.js'
import type { AdminProductDto, CategoryDto, ProductDto, RatingDto } from './catalog.schema.js'
import type { PriceRow, ProductRow, VariantRow } from './catalog.repo.js'
import type { StorefrontRow } from './listing.repo.js'
import type { CategoryRow } from './categories.repo.js'
import type { ImageRow } from './media/media.repo.js'
import { imageDto, type MediaUrl } from './media/media.urls.js'

export interface ProductParts {
  variants: VariantRow[]
  prices: PriceRow[]
  categories: { product_id: string; id: string; slug: string; name: string }[]
  images: ImageRow[]
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>()
  for (const item of items) {
    const list = map.get(key(item))
    if (list) list.push(item)
    else map.set(key(item), [item])
  }
  return map
}

/** The rating over published reviews, as projected onto the product row. */
function ratingOf(row: ProductRow): RatingDto {
  const d = row.rating_distribution
  return {
    average: row.rating_average === null ? null : Number(row.rating_average),
    count: row.rating_count,
    distribution: {
      '1': d['1'] ?? 0,
      '2': d['2'] ?? 0,
      '3': d['3'] ?? 0,
      '4': d['4'] ?? 0,
      '5': d['5'] ?? 0,
    },
  }
}

function productFields(row: ProductRow, categories: Map<string, ProductParts['categories']>) {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    status: row.status,
    categories: (categories.get(row.id) ?? []).map(({ id, slug, name }) => ({ id, slug, name })),
    rating: ratingOf(row),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

/** Storefront rows carry their variants and categories already (see storefrontColumns). */
export function toStorefrontDto(row: StorefrontRow, mediaUrl: MediaUrl): ProductDto {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    status: row.status,
    categories: row.categories,
    rating: ratingOf(row),
    variants: row.variants.map((v) => ({
      ...v,
      price: { amount: Number(v.price.amount), currency: v.price.currency },
    })),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    images: row.images.map((image) => imageDto(image, mediaUrl)),
  }
}

export function toAdminProductDtos(
  rows: ProductRow[],
  parts: ProductParts,
  stock: Map<string, StockLevel>,
  storeCurrency: string,
  mediaUrl: MediaUrl,
): AdminProductDto[] {
  const variants = groupBy(parts.variants, (v) => v.product_id)
  const prices = groupBy(parts.prices, (p) => p.variant_id)
  const categories = groupBy(parts.categories, (c) => c.product_id)
  const images = groupBy(parts.images, (i) => i.product_id)
  return rows.map((row) => ({
    ...productFields(row, categories),
    variants: (variants.get(row.id) ?? []).map((v) => {
      const all = (prices.get(v.id) ?? []).map((p) => ({ amount: p.amount, currency: p.currency }))
      const level = stock.get(v.id)
      return {
        id: v.id,
        sku: v.sku,
        title: v.title,
        options: v.options,
        price: all.find((p) => p.currency === storeCurrency) ?? null,
        prices: all,
        inStock: v.in_stock,
        onHand: level?.onHand ?? 0,
        reserved: level?.reserved ?? 0,
        available: level?.available ?? 0,
      }
    }),
    version: row.version,
    images: (images.get(row.id) ?? []).map((image) => imageDto(image, mediaUrl)),
  }))
}

/** Flat rows → tree, children ordered by position then name (the rows' order). */
export function toCategoryTree(rows: CategoryRow[], rootId: string | null = null): CategoryDto[] {
  const children = groupBy(rows, (r) => r.parent_id ?? '')
  const build = (row: CategoryRow): CategoryDto => ({
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    parentId: row.parent_id,
    position: row.position,
    children: (children.get(row.id) ?? []).map(build),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  })
  if (rootId) {
    const root = rows.find((r) => r.id === rootId)
    return root ? [build(root)] : []
  }
  return (children.get('') ?? []).map(build)
}

/** A URL slug from a title: 'Café Crème 2' → 'cafe-creme-2'. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '')
  return slug || 'product'
}
