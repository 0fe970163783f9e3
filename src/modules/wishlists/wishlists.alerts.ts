import type { Logger } from 'pino'
import { narrow, type Emit, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import type { DomainEvent } from '../../platform/events/types.js'
import type { Subscription } from '../../platform/module.js'
import { AccountEvents } from '../auth/index.js'
import {
  CatalogEvents,
  type CatalogApi,
  type ProductDto,
  type ProductEventPayload,
} from '../catalog/index.js'
import { InventoryEvents, type StockChangedPayload } from '../inventory/index.js'
import { WishlistEvents, type WishlistAlertPayload } from './wishlists.events.js'
import * as repo from './wishlists.repo.js'
import type { WishlistsService } from './wishlists.service.js'
import type { WishlistsTables } from './wishlists.tables.js'
import { itemNow, type ItemNow, type StockOverride } from './wishlists.view.js'

/** Items of one product handled per transaction. */
const BATCH = 200

export interface AlertDeps {
  db: repo.WishlistsDb
  uow: UnitOfWork
  catalog: Pick<CatalogApi, 'getProducts' | 'getVariantsForPricing'>
  currency: string
  logger: Logger
}

function alert(
  type: string,
  item: repo.WatchedItem,
  product: ProductDto,
  now: ItemNow,
  previousPrice: WishlistAlertPayload['previousPrice'],
) {
  const payload: WishlistAlertPayload = {
    wishlistId: item.wishlistId,
    itemId: item.id,
    customerId: item.customerId,
    productId: item.productId,
    variantId: item.variantId,
    productTitle: product.title,
    productSlug: product.slug,
    variantTitle: now.variantTitle,
    price: now.price,
    previousPrice,
  }
  return { type, aggregateType: 'wishlist', aggregateId: item.wishlistId, payload: { ...payload } }
}

/**
 * Compares one item with what the catalog shows now and records the difference. Each record is
 * a compare-and-set on the state last seen, so of two deliveries (or two events racing) only one
 * sees the change, and only that one emits: an alert goes out once per change.
 */
async function reconcile(
  trx: repo.WishlistsDb,
  emit: Emit,
  item: repo.WatchedItem,
  product: ProductDto | null,
  now: ItemNow,
): Promise<void> {
  const inStock = now.available && now.inStock
  if (inStock !== item.inStock && (await repo.setItemInStock(trx, item.id, inStock))) {
    if (inStock && item.notifyBackInStock && product)
      emit(alert(WishlistEvents.backInStock, item, product, now, null))
  }
  const price = now.price
  if (!price || !product) return
  const was = item.noticed
  // No price was known when added (or it was in another currency): this one is the reference.
  if (!was || was.currency !== price.currency) {
    await repo.setItemNoticedPrice(trx, item.id, was, price)
    return
  }
  // The reference moves only when the customer is told, so a drop is measured from there.
  if (price.amount < was.amount && item.notifyPriceDrop) {
    if (await repo.setItemNoticedPrice(trx, item.id, was, price))
      emit(alert(WishlistEvents.priceDropped, item, product, now, was))
  }
}

export function createAlerts(deps: AlertDeps) {
  /** Every item watching the product, against one catalog read of it. */
  async function reconcileProduct(productId: string, override?: StockOverride): Promise<number> {
    const [product = null] = await deps.catalog.getProducts([productId], deps.currency)
    let after = ''
    let seen = 0
    for (;;) {
      const items = await repo.watchedItems(deps.db, productId, BATCH, after)
      if (items.length === 0) return seen
      await deps.uow.run(async (t, emit) => {
        const trx = narrow<WishlistsTables>(t)
        for (const item of items)
          await reconcile(trx, emit, item, product, itemNow(product, item.variantId, override))
      })
      seen += items.length
      after = items[items.length - 1]!.id
      if (items.length < BATCH) return seen
    }
  }

  return {
    reconcileProduct,
    /** A variant's stock changed: its product's items are compared, with the event's figure. */
    async stockChanged(payload: StockChangedPayload): Promise<void> {
      const [variant] = await deps.catalog.getVariantsForPricing([payload.variantId], deps.currency)
      if (!variant) return
      await reconcileProduct(variant.productId, {
        variantId: payload.variantId,
        inStock: payload.available > 0,
      })
    },
  }
}

export type Alerts = ReturnType<typeof createAlerts>

/**
 * Stock changes and product changes (prices, publication, variants) reach the wishlists through
 * the outbox. Redeliveries are harmless: the item's recorded state makes each change count once.
 */
export function wishlistSubscriptions(alerts: Alerts, service: WishlistsService): Subscription[] {
  const product = async (event: DomainEvent) => {
    await alerts.reconcileProduct((event.payload as unknown as ProductEventPayload).productId)
  }
  return [
    {
      type: InventoryEvents.stockChanged,
      consumer: 'wishlists.stock-alerts',
      handler: async (event) =>
        alerts.stockChanged(event.payload as unknown as StockChangedPayload),
    },
    { type: CatalogEvents.productUpdated, consumer: 'wishlists.product-alerts', handler: product },
    { type: CatalogEvents.productDeleted, consumer: 'wishlists.deleted-alerts', handler: product },
    {
      // The account is anonymised by auth; its wishlist goes with it.
      type: AccountEvents.CUSTOMER_DELETED,
      consumer: 'wishlists.forget-customer',
      handler: async (event) => void (await service.forgetCustomer(event.aggregateId)),
    },
  ]
}
