import type { JobDefinition } from '../../platform/jobs/jobs.js'
import type { Logger } from 'pino'
import type { InventoryService } from './inventory.service.js'

export const InventoryJobs = {
  releaseExpired: 'inventory.release-expired',
} as const

/** Every minute, expired holds go back to available stock; safe on several workers at once. */
export function inventoryJobs(service: InventoryService, logger: Logger): JobDefinition[] {
  return [
    {
      name: InventoryJobs.releaseExpired,
      schedule: '* * * * *',
      handler: async () => {
        const released = await service.releaseExpired()
        if (released > 0) logger.info({ released }, 'released expired stock reservations')
      },
    },
  ]
}
