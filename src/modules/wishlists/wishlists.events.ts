/** Per-customer alerts; only the notifications module consumes them (they are not webhooks). */
export const WishlistEvents = {
  backInStock: 'wishlist.back_in_stock',
  priceDropped: 'wishlist.price_dropped',
} as const

/** Payload of both alerts: what the mail shows, read from the catalog when the change was seen. */
export interface WishlistAlertPayload {
  wishlistId: string
  itemId: string
  customerId: string
  productId: string
  variantId: string | null
  productTitle: string
  productSlug: string
  variantTitle: string | null
  price: { amount: number; currency: string } | null
  /** Price drops only: the price the drop is measured against. */
  previousPrice: { amount: number; currency: string } | null
}
