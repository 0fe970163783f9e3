import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime } from '../../platform/module.js'
import type { PlatformDeps } from '../../platform/module.js'
import { createStockLevels } from './migrations/2026_11_21_0620_create_stock_levels.js'
import { createReservations } from './migrations/2026_11_21_0810_create_reservations.js'
import { inventoryGraphql } from './inventory.graphql.js'
import { inventoryJobs } from './inventory.jobs.js'
import { inventoryRoutes } from './inventory.routes.js'
import { createInventoryService, type InventoryService } from './inventory.service.js'

export type { InventoryService, StockLevel, StockLevelChange } from './inventory.service.js'
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
}

export interface InventoryModule {
  runtime: ModuleRuntime
  service: InventoryService
}

export function createInventoryModule(deps: PlatformDeps): InventoryModule {
  const service = createInventoryService(deps)
  const logger = deps.logger.child({ module: 'inventory' })
  return {
    service,
    runtime: {
      name: 'inventory',
      routes: inventoryRoutes(service),
      graphql: [inventoryGraphql(service)],
      jobs: inventoryJobs(service, logger),
    },
  }
}
