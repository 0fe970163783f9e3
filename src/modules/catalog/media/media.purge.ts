import type { Subscription } from '../../../platform/module.js'
import { CatalogEvents, type ProductEventPayload } from '../catalog.events.js'
import type { MediaService } from './media.service.js'

/**
 * Image files leave the storage through the outbox: an image removed from a product (which
 * emits product.updated) or a deleted product (product.deleted) has its files removed, then its
 * rows. Immediate, so the writer's request returns after the files are gone; when that run fails
 * (storage unreachable) the bus delivers the event again, and the purge is idempotent.
 */
export function mediaPurge(images: MediaService): Subscription[] {
  return [CatalogEvents.productUpdated, CatalogEvents.productDeleted].map((type) => ({
    type,
    consumer: 'catalog.media-purge',
    immediate: true,
    handler: async (event) => {
      await images.purge((event.payload as unknown as ProductEventPayload).productId)
    },
  }))
}
