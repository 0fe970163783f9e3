import type { Kysely, Transaction } from 'kysely'
import { claimEvent } from '../../platform/events/processed-events.js'
import type { DomainEvent } from '../../platform/events/types.js'
import type { CatalogApi, ProductDto } from '../catalog/index.js'
import type { OrderLine } from '../orders/index.js'
import * as repo from './recommendations.repo.js'
import type { RecommendationsTables } from './recommendations.tables.js'

/** The processed-event key of the pair counting. */
export const COUNT_CONSUMER = 'recommendations.count-paid-order'

/**
 * An order's pairs are counted among its first this many products (by line total, the largest
 * first): at most 20 · 19 = 380 pair rows per order, however many lines it has.
 */
const MAX_PAIRED_PRODUCTS = 20

/** A pair seen in fewer orders ranks after every pair seen in this many. */
const MIN_SUPPORT = 2

export const DEFAULT_LIMIT = 8
export const MAX_LIMIT = 24

export interface RecommendationsDeps {
  db: Kysely<RecommendationsTables>
  read: () => Kysely<RecommendationsTables>
  catalog: Pick<CatalogApi, 'getProduct' | 'getProducts' | 'similarProducts'>
  /** An order's lines (the orders module's door; `OrdersService` fits). */
  orders: { getState(orderId: string): Promise<{ items: readonly OrderLine[] } | undefined> }
}

export type RecommendationsService = ReturnType<typeof createRecommendationsService>

/** The distinct products of an order's lines, and the ones its pairs are counted among. */
function productsOf(lines: readonly OrderLine[]): { all: string[]; paired: string[] } {
  const totals = new Map<string, number>()
  for (const line of lines) {
    if (line.productId === null) continue
    totals.set(line.productId, (totals.get(line.productId) ?? 0) + line.lineTotal)
  }
  const byWeight = [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  const all = byWeight.map(([id]) => id)
  return { all, paired: all.slice(0, MAX_PAIRED_PRODUCTS) }
}

const available = (p: ProductDto | null): p is ProductDto =>
  p !== null && p.variants.some((v) => v.inStock)

export function createRecommendationsService(deps: RecommendationsDeps) {
  return {
    /**
     * Counts a paid order once: the event's claim and the counts commit in one transaction, so a
     * redelivered event (or a crash between the two) never counts twice.
     */
    async countPaidOrder(event: DomainEvent): Promise<void> {
      const state = await deps.orders.getState(event.aggregateId)
      if (!state) return
      const { all, paired } = productsOf(state.items)
      await deps.db.transaction().execute(async (trx) => {
        if (!(await claimEvent(trx as Transaction<unknown>, COUNT_CONSUMER, event.id))) return
        await repo.countOrder(trx, all, paired)
      })
    },

    /**
     * Up to `limit` published, in-stock products for the product `idOrSlug` (404 when it is not a
     * published product): the ones bought with it, best score first, then similar products.
     */
    async recommend(
      idOrSlug: string,
      options: { limit?: number | undefined; currency?: string | undefined } = {},
    ): Promise<ProductDto[]> {
      const limit = options.limit ?? DEFAULT_LIMIT
      const product = await deps.catalog.getProduct(idOrSlug, options.currency)
      // Some candidates may be unpublished or sold out: ask for more than needed.
      const ranked = await repo.boughtTogether(
        deps.read(),
        product.id,
        MIN_SUPPORT,
        Math.min(limit * 3, 100),
      )
      const details = await deps.catalog.getProducts(
        ranked.map((c) => c.id),
        options.currency,
      )
      const picked = details.filter(available).slice(0, limit)
      if (picked.length === limit) return picked
      const similar = await deps.catalog.similarProducts(
        product.id,
        limit - picked.length,
        picked.map((p) => p.id),
        options.currency,
      )
      return [...picked, ...similar]
    },
  }
}
