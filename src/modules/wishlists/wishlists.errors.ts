import { AppError } from '../../platform/errors.js'

/** The wishlists module's coded errors; codes are part of the public API. */
export const WishlistsErrors = {
  /** Unknown, unpublished or deleted: only products a customer can see can be wished for. */
  productNotFound: (productId: string) =>
    new AppError({
      kind: 'not_found',
      code: 'product_not_found',
      title: 'Product not found',
      detail: `No published product ${productId}.`,
    }),
  variantNotFound: (variantId: string) =>
    new AppError({
      kind: 'not_found',
      code: 'variant_not_found',
      title: 'Variant not found',
      detail: `The product has no variant ${variantId}.`,
    }),
  /** Also the answer for another customer's item: its existence is not revealed. */
  itemNotFound: (itemId: string) =>
    new AppError({
      kind: 'not_found',
      code: 'wishlist_item_not_found',
      title: 'Wishlist item not found',
      detail: `No item ${itemId} in this wishlist.`,
    }),
  wishlistFull: (limit: number) =>
    new AppError({
      kind: 'conflict',
      code: 'wishlist_full',
      title: 'Wishlist full',
      detail: `A wishlist holds at most ${limit} items; remove one first.`,
    }),
  /** Unknown, rotated or revoked: all look the same. */
  sharedWishlistNotFound: () =>
    new AppError({
      kind: 'not_found',
      code: 'shared_wishlist_not_found',
      title: 'Shared wishlist not found',
      detail: 'This link does not lead to a wishlist (it may have been revoked).',
    }),
  unsubscribeTokenInvalid: () =>
    new AppError({
      kind: 'not_found',
      code: 'unsubscribe_token_invalid',
      title: 'Unknown unsubscribe token',
      detail: 'This unsubscribe link is not known.',
    }),
}
