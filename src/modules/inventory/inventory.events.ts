import type { NewEvent } from '../../platform/events/types.js'

export const InventoryEvents = {
  stockChanged: 'inventory.stock_changed',
  lowStock: 'inventory.low_stock',
} as const

/** Payload of `inventory.stock_changed`: absolute figures, so applying it twice is harmless. */
export interface StockChangedPayload {
  variantId: string
  onHand: number
  reserved: number
  available: number
  version: number
}

/** Payload of `inventory.low_stock`, sent when available stock falls to the threshold or below. */
export interface LowStockPayload {
  variantId: string
  available: number
  threshold: number
}

interface LevelFigures {
  variantId: string
  onHand: number
  reserved: number
  available: number
  lowStockThreshold: number
  version: number
}

/**
 * The events one stock change causes: `stock_changed` with the new figures, and `low_stock` when
 * the variant was above its threshold before and is at or below it now.
 */
export function stockChangeEvents(
  before: { available: number; lowStockThreshold: number },
  after: LevelFigures,
): NewEvent[] {
  const changed: StockChangedPayload = {
    variantId: after.variantId,
    onHand: after.onHand,
    reserved: after.reserved,
    available: after.available,
    version: after.version,
  }
  const events: NewEvent[] = [event(InventoryEvents.stockChanged, after.variantId, { ...changed })]
  if (after.available <= after.lowStockThreshold && before.available > before.lowStockThreshold) {
    const low: LowStockPayload = {
      variantId: after.variantId,
      available: after.available,
      threshold: after.lowStockThreshold,
    }
    events.push(event(InventoryEvents.lowStock, after.variantId, { ...low }))
  }
  return events
}

function event(type: string, variantId: string, payload: Record<string, unknown>): NewEvent {
  return { type, aggregateType: 'variant', aggregateId: variantId, payload }
}
