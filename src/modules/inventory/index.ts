import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime } from '../../platform/module.js'
import type { PlatformDeps } from '../../platform/module.js'
import { createStockLevels } from './migrations/2026_11_21_0620_create_stock_levels.js'
import { createReservations } from './migrations/2026_11_21_0810_create_reservations.js'
import { inventoryGraphql } from './inventory.graphql.js'
import { inventoryJobs } from './inventory.jobs.js'
import { inventoryRoutes } from './inventory.routes.js'
import { createInventoryService, type InventoryService } from './inventory.service.js'
import type { VariantLabels } from './low-stock.js'
import * as lowStockIndex from './migrations/2026_12_07_0020_low_stock_index.js'

export type { InventoryService, StockLevel, StockLevelChange } from './inventory.service.js'
export type { VariantLabel, VariantLabels } from './low-stock.js'
export type {
  Reservation,
  ReservationLine,
  ReservationStatus,
  ReserveItem,
} from './reservations.service.js'
export {
  InventoryEvents,
  type LowStockPayload,
  type StockChangedPayload,
} from './inventory.events.js'
export { InventoryErrors, isReservationReleased, type Shortage } from './inventory.errors.js'
export { InventoryJobs } from './inventory.jobs.js'
export { inventoryTypeDefs } from './inventory.graphql.js'

export const inventoryMigrations: MigrationSet = {
  '2026_11_21_0620_create_stock_levels': createStockLevels,
  '2026_11_21_0810_create_reservations': createReservations,
  '2026_12_07_0020_low_stock_index': lowStockIndex,
}

export interface InventoryModule {
  runtime: ModuleRuntime
  service: InventoryService
}

/**
 * `labels`: what the catalog calls variants, for the admin low-stock list. The catalog is built
 * after inventory (it tracks stock through it), so this is looked up when a request asks.
 */
export function createInventoryModule(deps: PlatformDeps, labels: VariantLabels): InventoryModule {
  const service = createInventoryService(deps)
  const logger = deps.logger.child({ module: 'inventory' })
  return {
    service,
    runtime: {
      name: 'inventory',
      routes: inventoryRoutes(service, labels),
      graphql: [inventoryGraphql(service)],
      jobs: inventoryJobs(service, logger),
    },
  }
}
