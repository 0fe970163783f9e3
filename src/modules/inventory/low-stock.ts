import { CommonErrors } from '../../platform/errors.js'
import { decodeCursor, encodeCursor, type Page } from '../../platform/pagination.js'
import type { LowStockAfter, InventoryService } from './inventory.service.js'
import type { LowStockItem, LowStockQuery } from './inventory.schema.js'

/** What the catalog calls a variant (inventory knows only ids); deleted variants are absent. */
export interface VariantLabel {
  variantId: string
  productId: string
  sku: string
  title: string
  productTitle: string
}
export type VariantLabels = (variantIds: string[]) => Promise<VariantLabel[]>

function afterOf(cursor: string | undefined): LowStockAfter | undefined {
  if (cursor === undefined) return undefined
  const values = decodeCursor(cursor, 2)
  const [available, variantId] = values ?? []
  if (!Number.isInteger(available) || typeof variantId !== 'string') {
    throw CommonErrors.invalidCursor()
  }
  return { available: available as number, variantId }
}

/**
 * A page of the variants at or below their low-stock threshold (the digest's rule), least
 * available first. A deleted variant keeps its stock row but has no label, so it is left out: a
 * page may then hold fewer than `limit` entries while more follow.
 */
export async function lowStockPage(
  inventory: Pick<InventoryService, 'listLowStock'>,
  labels: VariantLabels,
  query: LowStockQuery,
): Promise<Page<LowStockItem>> {
  const limit = query.limit ?? 20
  const levels = await inventory.listLowStock(limit + 1, afterOf(query.cursor))
  const hasMore = levels.length > limit
  const shown = levels.slice(0, limit)
  const byId = new Map((await labels(shown.map((l) => l.variantId))).map((l) => [l.variantId, l]))
  const data = shown.flatMap((level) => {
    const label = byId.get(level.variantId)
    if (!label) return []
    return [
      {
        variantId: level.variantId,
        productId: label.productId,
        productTitle: label.productTitle,
        sku: label.sku,
        title: label.title,
        onHand: level.onHand,
        reserved: level.reserved,
        available: level.available,
        lowStockThreshold: level.lowStockThreshold,
        updatedAt: level.updatedAt.toISOString(),
      },
    ]
  })
  const last = shown[shown.length - 1]
  return {
    data,
    page: {
      nextCursor: hasMore && last ? encodeCursor([last.available, last.variantId]) : null,
      hasMore,
    },
  }
}
