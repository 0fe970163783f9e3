import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../platform/db/database.js'
import { narrow, type Tx, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import { CommonErrors } from '../../platform/errors.js'
import { InventoryErrors } from './inventory.errors.js'
import { stockChangeEvents } from './inventory.events.js'
import {
  findLowStockLevels,
  findStockLevels,
  insertStockLevels,
  updateStockLevel,
  type LowStockAfter,
  type StockLevel,
} from './inventory.repo.js'
import type { InventoryTables } from './inventory.tables.js'
import {
  createReservations,
  type Reservation,
  type ReservationLine,
  type ReserveItem,
} from './reservations.service.js'

export type { LowStockAfter, StockLevel }

export interface StockLevelChange {
  onHand?: number | undefined
  lowStockThreshold?: number | undefined
}

/**
 * Stock per variant and the reservations checkout takes on it. Every change emits
 * `inventory.stock_changed` (absolute figures) and, when available stock falls to the variant's
 * threshold, `inventory.low_stock`. Methods taking an `Tx` run in the caller's unit of
 * work; given `undefined`, they run in one of their own.
 */
export interface InventoryService {
  /** Starts tracking stock for new variants, inside the caller's transaction. */
  track(
    trx: Tx | Transaction<unknown>,
    levels: { variantId: string; onHand: number }[],
  ): Promise<void>
  getLevels(variantIds: string[]): Promise<Map<string, StockLevel>>
  getLevel(variantId: string): Promise<StockLevel>
  /** Sets on-hand stock and/or the low-stock threshold; `expectedVersion` (If-Match) → 412. */
  updateLevel(
    variantId: string,
    change: StockLevelChange,
    expectedVersion?: number,
  ): Promise<StockLevel>
  /**
   * Holds every line for `reference` (an order id, a checkout key) until `ttlSeconds` from now,
   * or none: a short line throws `out_of_stock` listing the shortages, and nothing stays held.
   * Idempotent: the same lines again return the existing reservation; other lines are
   * `reservation_mismatch`, a released one `reservation_released`. With `fresh`, the caller has
   * just made the reference up (a new order id) and nobody else can hold it: the check for an
   * existing reservation is skipped.
   */
  reserve(
    tx: Tx | undefined,
    reference: string,
    items: ReserveItem[],
    ttlSeconds: number,
    options?: { fresh?: boolean },
  ): Promise<Reservation>
  /** Payment succeeded: held → committed, the units leave on-hand stock. Idempotent. */
  commit(tx: Tx | undefined, reference: string): Promise<Reservation>
  /**
   * Decline, cancel or expiry: held → released, the units are available again. Idempotent; a
   * missing reference is a no-op (undefined) and a committed one is returned untouched.
   */
  release(tx: Tx | undefined, reference: string): Promise<Reservation | undefined>
  /** Cancellation after payment: committed → released, the units return to on-hand stock. */
  restock(tx: Tx | undefined, reference: string): Promise<Reservation>
  getReservation(reference: string): Promise<Reservation | undefined>
  /** Held reservations of a variant, soonest expiry first (staff view). */
  listHeld(variantId: string, limit: number): Promise<ReservationLine[]>
  /** Releases expired holds in batches until none is left (or `maxBatches`); returns how many. */
  releaseExpired(options?: { batchSize?: number; maxBatches?: number }): Promise<number>
  /**
   * Variants at or below their low-stock threshold, least available first, then by variant id
   * (the daily digest, and the admin list's pages after `after`).
   */
  listLowStock(limit: number, after?: LowStockAfter): Promise<StockLevel[]>
}

export function createInventoryService(deps: {
  database: Database
  uow: UnitOfWork
}): InventoryService {
  const db = deps.database.db as Kysely<InventoryTables>
  const reservations = createReservations(deps)

  async function getLevel(variantId: string): Promise<StockLevel> {
    const [level] = await findStockLevels(db, [variantId])
    if (!level) throw InventoryErrors.notFound(variantId)
    return level
  }

  return {
    track: (trx, levels) => insertStockLevels(narrow<InventoryTables>(trx), levels),
    async getLevels(variantIds) {
      const levels = await findStockLevels(db, variantIds)
      return new Map(levels.map((l) => [l.variantId, l]))
    },
    getLevel,
    updateLevel: (variantId, change, expected) =>
      deps.uow.run(async (trx, emit) => {
        const t = narrow<InventoryTables>(trx)
        const [current] = await findStockLevels(t, [variantId])
        if (!current) throw InventoryErrors.notFound(variantId)
        if (expected !== undefined && current.version !== expected)
          throw CommonErrors.staleVersion()
        if (change.onHand !== undefined && change.onHand < current.reserved)
          throw InventoryErrors.belowReserved(change.onHand, current.reserved)
        const level = await updateStockLevel(t, variantId, change, current.version)
        if (!level) throw CommonErrors.staleVersion()
        emit(...stockChangeEvents(current, level))
        return level
      }),
    reserve: reservations.reserve,
    commit: reservations.commit,
    release: reservations.release,
    restock: reservations.restock,
    getReservation: reservations.getReservation,
    async listHeld(variantId, limit) {
      await getLevel(variantId)
      return reservations.listHeld(variantId, limit)
    },
    listLowStock: (limit, after) => findLowStockLevels(db, limit, after),
    async releaseExpired({ batchSize = 100, maxBatches = 50 } = {}) {
      let total = 0
      for (let i = 0; i < maxBatches; i++) {
        const released = await reservations.releaseExpiredBatch(batchSize)
        total += released
        if (released < batchSize) break
      }
      return total
    },
  }
}
