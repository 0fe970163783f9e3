import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime } from '../../platform/module.js'
import { mailBrand } from '../../platform/mail/layout.js'
import type { StaffDirectory } from '../auth/index.js'
import type { ModuleDeps } from '../index.js'
import { createStockLevels } from './migrations/2026_11_21_0620_create_stock_levels.js'
import { createReservations } from './migrations/2026_11_21_0810_create_reservations.js'
import { inventoryJobs } from './inventory.jobs.js'
import { inventoryRoutes } from './inventory.routes.js'
import { createInventoryService, type InventoryService } from './inventory.service.js'
import { createLowStockDigest, type VariantLabels } from './low-stock-digest.js'

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
export type { VariantLabel, VariantLabels } from './low-stock-digest.js'

export const inventoryMigrations: MigrationSet = {
  '2026_11_21_0620_create_stock_levels': createStockLevels,
  '2026_11_21_0810_create_reservations': createReservations,
}

export interface InventoryModule {
  runtime: ModuleRuntime
  service: InventoryService
}

export function createInventoryModule(
  deps: ModuleDeps & { staff: StaffDirectory; variantLabels: VariantLabels },
): InventoryModule {
  const service = createInventoryService(deps)
  const logger = deps.logger.child({ module: 'inventory' })
  const digest = createLowStockDigest({
    inventory: service,
    labels: deps.variantLabels,
    staff: deps.staff,
    mailer: deps.mailer,
    brand: mailBrand(deps.config.mailFrom),
    logger,
  })
  return {
    service,
    runtime: {
      name: 'inventory',
      routes: inventoryRoutes(service),
      jobs: inventoryJobs(service, digest, logger),
    },
  }
}
