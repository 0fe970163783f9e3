export const CatalogEvents = {
  productCreated: 'product.created',
  productUpdated: 'product.updated',
  productDeleted: 'product.deleted',
  /** A category was created, changed or removed (payload `{ categoryId }`). */
  categoryChanged: 'category.changed',
} as const

export interface ProductEventPayload {
  productId: string
  slug: string
  status: 'draft' | 'published'
  version: number
}
