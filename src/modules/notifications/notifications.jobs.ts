import type { Logger } from 'pino'
import type { JobDefinition } from '../../platform/jobs/jobs.js'
import type { StaffDirectory } from '../auth/index.js'
import type { VariantPricing } from '../catalog/index.js'
import type { InventoryService } from '../inventory/index.js'
import type { NotificationsService } from './notifications.service.js'
import { lowStockDigestValues, type DigestLine } from './notifications.values.js'

/** The most variants one digest lists; beyond it the mail says how many more there are. */
export const DIGEST_MAX_LINES = 200

export const NotificationJobs = {
  /**
   * The name it had when inventory sent it: pg-boss keeps a schedule per name, so a new name
   * would leave the old schedule firing into a queue nobody works.
   */
  lowStockDigest: 'inventory.low-stock-digest',
} as const

export interface LowStockDigest {
  /** Mails the digest to every staff member and admin; returns how many variants it listed. */
  send(): Promise<number>
}

export function createLowStockDigest(deps: {
  notifications: NotificationsService
  inventory: Pick<InventoryService, 'listLowStock'>
  /** What the catalog calls these variants (inventory only knows ids); deleted ones are absent. */
  labels: (
    variantIds: string[],
  ) => Promise<Pick<VariantPricing, 'variantId' | 'sku' | 'title' | 'productTitle'>[]>
  staff: StaffDirectory
  logger: Logger
}): LowStockDigest {
  return {
    async send() {
      const levels = await deps.inventory.listLowStock(DIGEST_MAX_LINES + 1)
      const labels = new Map(
        (await deps.labels(levels.map((l) => l.variantId))).map((l) => [l.variantId, l]),
      )
      // Deleted variants keep a stock row but have no label: they are not worth a line.
      const listed: DigestLine[] = levels.flatMap((level) => {
        const label = labels.get(level.variantId)
        return label
          ? [
              {
                sku: label.sku,
                productTitle: label.productTitle,
                title: label.title,
                available: level.available,
                threshold: level.lowStockThreshold,
              },
            ]
          : []
      })
      if (listed.length === 0) return 0
      const shown = listed.slice(0, DIGEST_MAX_LINES)
      const recipients = await deps.staff.emailsOf(['staff', 'admin'])
      await deps.notifications.send(
        recipients,
        'low-stock-digest',
        lowStockDigestValues(shown, listed.length > DIGEST_MAX_LINES),
      )
      deps.logger.info(
        { variants: shown.length, recipients: recipients.length },
        'low-stock digest sent',
      )
      return shown.length
    },
  }
}

/** Daily at 07:00 UTC: staff and admins get the variants at or below their threshold. */
export function notificationJobs(digest: LowStockDigest): JobDefinition[] {
  return [
    {
      name: NotificationJobs.lowStockDigest,
      schedule: '0 7 * * *',
      handler: async () => void (await digest.send()),
    },
  ]
}
