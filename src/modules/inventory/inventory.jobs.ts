import type { JobDefinition } from '../../platform/jobs/jobs.js'
import type { Logger } from 'pino'
import type { InventoryService } from './inventory.service.js'
import type { LowStockDigest } from './low-stock-digest.js'

export const InventoryJobs = {
  releaseExpired: 'inventory.release-expired',
  lowStockDigest: 'inventory.low-stock-digest',
} as const

/** Every minute, expired holds go back to available stock; safe on several workers at once. */
export function inventoryJobs(
  service: InventoryService,
  digest: LowStockDigest,
  logger: Logger,
): JobDefinition[] {
  return [
    {
      name: InventoryJobs.releaseExpired,
      schedule: '* * * * *',
      handler: async () => {
        const released = await service.releaseExpired()
        if (released > 0) logger.info({ released }, 'released expired stock reservations')
      },
    },
    // Daily at 07:00 UTC: staff and admins get the variants at or below their threshold.
    {
      name: InventoryJobs.lowStockDigest,
      schedule: '0 7 * * *',
      handler: async () => void (await digest.send()),
    },
  ]
}
