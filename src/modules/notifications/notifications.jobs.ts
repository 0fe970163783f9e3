import type { Logger } from 'pino'
import { renderMail } from '../../platform/mail/layout.js'
import type { Mailer } from '../../platform/mail/mailer.js'
import type { StaffDirectory } from '../auth/index.js'
import type { InventoryService, StockLevel } from './inventory.service.js'

/** The most variants one digest lists; beyond it the mail says how many more there are. */
export const DIGEST_MAX_LINES = 200

/** What the catalog says a variant is: inventory only knows ids. */
export interface VariantLabel {
  variantId: string
  sku: string
  title: string
  productTitle: string
}
export type VariantLabels = (variantIds: string[]) => Promise<VariantLabel[]>

export interface LowStockDigest {
  /** Mails the digest to every staff member and admin; returns how many variants it listed. */
  send(): Promise<number>
}

function line(level: StockLevel, label: VariantLabel): string {
  const name = label.title ? `${label.productTitle} — ${label.title}` : label.productTitle
  return `${label.sku} (${name}): ${level.available} available, threshold ${level.lowStockThreshold}`
}

export function createLowStockDigest(deps: {
  inventory: InventoryService
  labels: VariantLabels
  staff: StaffDirectory
  mailer: Mailer
  brand: string
  logger: Logger
}): LowStockDigest {
  return {
    async send() {
      const levels = await deps.inventory.listLowStock(DIGEST_MAX_LINES + 1)
      // Deleted variants keep a stock row but have no label: they are not worth a line.
      const labels = new Map(
        (await deps.labels(levels.map((l) => l.variantId))).map((l) => [l.variantId, l]),
      )
      const listed = levels.filter((l) => labels.has(l.variantId))
      if (listed.length === 0) return 0
      const shown = listed.slice(0, DIGEST_MAX_LINES)
      const more = listed.length > DIGEST_MAX_LINES ? ['More variants are low; see the admin.'] : []
      const mail = renderMail({
        brand: deps.brand,
        subject: `Low stock: ${shown.length} variant${shown.length === 1 ? '' : 's'} at or below threshold`,
        greeting: 'Hello,',
        paragraphs: [
          'These variants are at or below their low-stock threshold:',
          ...shown.map((l) => line(l, labels.get(l.variantId)!)),
          ...more,
        ],
        footer: ['Change stock or thresholds with PUT /v1/admin/inventory/{variantId}.'],
      })
      const recipients = await deps.staff.emailsOf(['staff', 'admin'])
      for (const to of recipients) await deps.mailer.send({ to, ...mail })
      deps.logger.info(
        { variants: shown.length, recipients: recipients.length },
        'low-stock digest sent',
      )
      return shown.length
    },
  }
}
