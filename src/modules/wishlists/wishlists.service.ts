import type { Logger } from 'pino'
import { narrow, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import { randomToken, sha256, tokenMatches } from '../../platform/crypto.js'
import { cursorId, encodeCursor } from '../../platform/pagination.js'
import { newId } from '../../shared/ids.js'
import type { CatalogApi } from '../catalog/index.js'
import { WishlistsErrors } from './wishlists.errors.js'
import * as repo from './wishlists.repo.js'
import type {
  AddItemInput,
  SharedWishlist,
  Wishlist,
  WishlistItem,
  WishlistPage,
  WishlistSettingsInput,
} from './wishlists.schema.js'
import type { AlertKind, WishlistsTables } from './wishlists.tables.js'
import { itemDto, itemNow, sharedItemDto, type ItemNow } from './wishlists.view.js'

/** How many items one wishlist keeps. */
export const MAX_ITEMS = 500
/** Share tokens carry 256 random bits (at least 128 are required of any bearer link). */
const SHARE_TOKEN_BYTES = 32

export interface WishlistsService {
  getWishlist(customerId: string, page: WishlistPage): Promise<Wishlist>
  /** `created` is false when the wishlist held this product and variant already. */
  addItem(
    customerId: string,
    input: AddItemInput,
  ): Promise<{ item: WishlistItem; created: boolean }>
  removeItem(customerId: string, itemId: string): Promise<void>
  updateSettings(customerId: string, input: WishlistSettingsInput): Promise<Wishlist>
  /** Issues a new share token, replacing any earlier one; the raw token is returned once. */
  shareWishlist(customerId: string): Promise<string>
  revokeShare(customerId: string): Promise<void>
  getShared(token: string, page: WishlistPage): Promise<SharedWishlist>
  /**
   * A fresh one-click unsubscribe token for an alert mail of this kind (only its hash is kept),
   * or null when the customer no longer wants such alerts: then no mail is sent.
   */
  alertMailToken(customerId: string, kind: AlertKind): Promise<string | null>
  /** Turns off the kind of alert the token came with; 404 `unsubscribe_token_invalid` if unknown. */
  unsubscribeAlerts(token: string): Promise<void>
  /** Removes the account's wishlist (account deletion); idempotent. */
  forgetCustomer(customerId: string): Promise<number>
}

export interface WishlistsServiceDeps {
  db: repo.WishlistsDb
  uow: UnitOfWork
  catalog: Pick<CatalogApi, 'getProducts'>
  currency: string
  logger: Logger
}

export function createWishlistsService(deps: WishlistsServiceDeps): WishlistsService {
  const { db, uow, catalog, currency } = deps

  /** One catalog call per page: every item's product, as the storefront shows it now. */
  async function withCurrentState(items: repo.ItemRecord[]) {
    const products = await catalog.getProducts(
      items.map((i) => i.productId),
      currency,
    )
    return items.map((item, i) => ({ item, now: itemNow(products[i] ?? null, item.variantId) }))
  }

  async function page(wishlistId: string | undefined, query: WishlistPage) {
    const limit = query.limit ?? 20
    const after = cursorId(query.cursor)
    if (!wishlistId) return { rows: [], page: { nextCursor: null, hasMore: false } }
    const items = await repo.listItems(db, wishlistId, limit, after)
    const hasMore = items.length > limit
    const shown = items.slice(0, limit)
    const last = shown.at(-1)
    return {
      rows: await withCurrentState(shown),
      page: { nextCursor: hasMore && last ? encodeCursor([last.id]) : null, hasMore },
    }
  }

  async function view(row: repo.WishlistRow | undefined, query: WishlistPage): Promise<Wishlist> {
    const items = await page(row?.id, query)
    return {
      notifyBackInStock: row?.notify_back_in_stock ?? false,
      notifyPriceDrop: row?.notify_price_drop ?? false,
      shared: row?.share_token_hash != null,
      data: items.rows.map(({ item, now }) => itemDto(item, now)),
      page: items.page,
    }
  }

  async function productNow(input: AddItemInput): Promise<ItemNow> {
    const [product] = await catalog.getProducts([input.productId], currency)
    if (!product) throw WishlistsErrors.productNotFound(input.productId)
    if (input.variantId !== undefined && !product.variants.some((v) => v.id === input.variantId))
      throw WishlistsErrors.variantNotFound(input.variantId)
    return itemNow(product, input.variantId ?? null)
  }

  return {
    async getWishlist(customerId, query) {
      return view(await repo.findWishlist(db, customerId), query)
    },

    async addItem(customerId, input) {
      const now = await productNow(input)
      const added = await uow.run(async (t) => {
        const trx = narrow<WishlistsTables>(t)
        const wishlist = await repo.ensureWishlist(trx, customerId, newId('wl'))
        const result = await repo.insertItem(trx, {
          id: newId('wli'),
          wishlistId: wishlist.id,
          productId: input.productId,
          variantId: input.variantId ?? null,
          noticed: now.price,
          inStock: now.inStock,
        })
        // Counted after the insert, so concurrent adds cannot overshoot together.
        if (result.created && (await repo.countItems(trx, wishlist.id)) > MAX_ITEMS)
          throw WishlistsErrors.wishlistFull(MAX_ITEMS)
        return result
      })
      return { item: itemDto(added.item, now), created: added.created }
    },

    async removeItem(customerId, itemId) {
      const wishlist = await repo.findWishlist(db, customerId)
      if (!wishlist || !(await repo.deleteItem(db, wishlist.id, itemId)))
        throw WishlistsErrors.itemNotFound(itemId)
    },

    async updateSettings(customerId, input) {
      const row = await uow.run(async (t) => {
        const trx = narrow<WishlistsTables>(t)
        const wishlist = await repo.ensureWishlist(trx, customerId, newId('wl'))
        return repo.updateWishlist(trx, wishlist.id, {
          ...(input.notifyBackInStock === undefined
            ? {}
            : { notify_back_in_stock: input.notifyBackInStock }),
          ...(input.notifyPriceDrop === undefined
            ? {}
            : { notify_price_drop: input.notifyPriceDrop }),
        })
      })
      return view(row, {})
    },

    async shareWishlist(customerId) {
      const token = randomToken('wls_', SHARE_TOKEN_BYTES)
      await uow.run(async (t) => {
        const trx = narrow<WishlistsTables>(t)
        const wishlist = await repo.ensureWishlist(trx, customerId, newId('wl'))
        await repo.updateWishlist(trx, wishlist.id, {
          share_token_hash: sha256(token),
          shared_at: new Date(),
        })
      })
      deps.logger.info({ customerId }, 'wishlist share link issued')
      return token
    },

    async revokeShare(customerId) {
      const wishlist = await repo.findWishlist(db, customerId)
      if (wishlist?.share_token_hash)
        await repo.updateWishlist(db, wishlist.id, { share_token_hash: null, shared_at: null })
    },

    async getShared(token, query) {
      const wishlist = await repo.findWishlistByShareHash(db, sha256(token))
      // The lookup is by hash; the constant-time compare confirms it without a timing signal.
      if (!wishlist || !tokenMatches(token, wishlist.share_token_hash))
        throw WishlistsErrors.sharedWishlistNotFound()
      const items = await page(wishlist.id, query)
      return { data: items.rows.map(({ item, now }) => sharedItemDto(item, now)), page: items.page }
    },

    async alertMailToken(customerId, kind) {
      const wishlist = await repo.findWishlist(db, customerId)
      const wanted =
        kind === 'back_in_stock' ? wishlist?.notify_back_in_stock : wishlist?.notify_price_drop
      if (!wishlist || !wanted) return null
      const token = randomToken('wlu_')
      await repo.insertUnsubscribeToken(db, wishlist.id, kind, sha256(token))
      return token
    },

    async unsubscribeAlerts(token) {
      if (!(await repo.unsubscribeByToken(db, sha256(token))))
        throw WishlistsErrors.unsubscribeTokenInvalid()
    },

    async forgetCustomer(customerId) {
      const removed = await repo.deleteWishlistOf(db, customerId)
      deps.logger.info({ customerId, removed }, 'wishlist removed')
      return removed
    },
  }
}
