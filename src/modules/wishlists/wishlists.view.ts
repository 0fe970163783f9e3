import type { ProductDto } from '../catalog/index.js'
import type { ItemRecord } from './wishlists.repo.js'
import type { SharedWishlistItem, WishlistItem } from './wishlists.schema.js'

type Money = { amount: number; currency: string }

/** What an item is now, read from the catalog: never stored, so prices and stock are current. */
export interface ItemNow {
  available: boolean
  title: string | null
  slug: string | null
  variantTitle: string | null
  sku: string | null
  price: Money | null
  inStock: boolean
}

const UNAVAILABLE: ItemNow = {
  available: false,
  title: null,
  slug: null,
  variantTitle: null,
  sku: null,
  price: null,
  inStock: false,
}

/** A stock figure newer than the catalog's projection (the event being handled). */
export interface StockOverride {
  variantId: string
  inStock: boolean
}

/**
 * The item as the catalog shows its product now: a variant's own price and stock, or for the
 * product as a whole its lowest price and whether any variant is in stock. An unpublished or
 * deleted product, or a variant no longer in it, is unavailable.
 */
export function itemNow(
  product: ProductDto | null,
  variantId: string | null,
  override?: StockOverride,
): ItemNow {
  if (!product) return UNAVAILABLE
  const inStock = (v: ProductDto['variants'][number]) =>
    override?.variantId === v.id ? override.inStock : v.inStock
  const base = { available: true, title: product.title, slug: product.slug }
  if (variantId !== null) {
    const variant = product.variants.find((v) => v.id === variantId)
    if (!variant) return UNAVAILABLE
    return {
      ...base,
      variantTitle: variant.title,
      sku: variant.sku,
      price: variant.price,
      inStock: inStock(variant),
    }
  }
  if (product.variants.length === 0) return UNAVAILABLE
  const lowest = product.variants.reduce((a, b) => (b.price.amount < a.price.amount ? b : a))
  return {
    ...base,
    variantTitle: null,
    sku: null,
    price: lowest.price,
    inStock: product.variants.some(inStock),
  }
}

export function sharedItemDto(item: ItemRecord, now: ItemNow): SharedWishlistItem {
  return {
    productId: item.productId,
    variantId: item.variantId,
    ...now,
    addedAt: item.createdAt.toISOString(),
  }
}

export function itemDto(item: ItemRecord, now: ItemNow): WishlistItem {
  return { id: item.id, ...sharedItemDto(item, now) }
}
