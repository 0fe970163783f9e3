import { mailBrand } from '../../platform/mail/layout.js'
import type { ModuleRuntime } from '../../platform/module.js'
import {
  isUserNotFound,
  type AccountTokens,
  type AuthService,
  type StaffDirectory,
} from '../auth/index.js'
import type { CartReminders } from '../carts/index.js'
import type { CatalogApi } from '../catalog/index.js'
import type { PlatformDeps } from '../../platform/module.js'
import type { Mailer } from '../../platform/mail/mailer.js'
import type { InventoryService } from '../inventory/index.js'
import type { OrdersService } from '../orders/index.js'
import type { WishlistsService } from '../wishlists/index.js'
import {
  createLowStockDigest,
  notificationJobs,
  type LowStockDigest,
} from './notifications.jobs.js'
import { createNotificationsService, type NotificationsService } from './notifications.service.js'
import { notificationSubscriptions } from './notifications.subscribers.js'

export interface NotificationsModule {
  runtime: ModuleRuntime
  service: NotificationsService
  digest: LowStockDigest
}

/**
 * The only module that sends mail: it reacts to the business modules' events and reads what a
 * mail needs through their doors (orders, account tokens, staff addresses, variant labels).
 */
/** A reminder for an account deleted since has no recipient; any other failure is retried. */
function ignoreUserNotFound(err: unknown): undefined {
  if (isUserNotFound(err)) return undefined
  throw err
}

/** What the notifications module reads from the configuration. */
export interface NotificationsSettings {
  /** The sender; its display name is the brand in every mail. */
  mailFrom: string
  /** Where links in mails point (the storefront's account and order pages). */
  storefrontUrl: string
  /** The currency the low-stock digest names variants in. */
  storeCurrency: string
  /** The API's public base URL (PUBLIC_URL): the one-click unsubscribe target. */
  apiUrl: string
}

export function createNotificationsModule(
  deps: PlatformDeps & {
    /** Only this module sends mail. */
    mailer: Mailer
    auth: {
      service: Pick<AuthService, 'getMe'>
      directory: StaffDirectory
      accountTokens: AccountTokens
    }
    catalog: Pick<CatalogApi, 'getVariantsForPricing'>
    cartReminders: Pick<CartReminders, 'unsubscribeTokenFor'>
    inventory: Pick<InventoryService, 'listLowStock'>
    orders: Pick<OrdersService, 'getState'>
    wishlists: Pick<WishlistsService, 'alertMailToken'>
  },
  settings: NotificationsSettings,
): NotificationsModule {
  const logger = deps.logger.child({ module: 'notifications' })
  const service = createNotificationsService({
    mailer: deps.mailer,
    brand: mailBrand(settings.mailFrom),
    storefrontUrl: settings.storefrontUrl,
    logger,
  })
  const digest = createLowStockDigest({
    notifications: service,
    inventory: deps.inventory,
    labels: (ids) => deps.catalog.getVariantsForPricing(ids, settings.storeCurrency),
    staff: deps.auth.directory,
    logger,
  })
  return {
    service,
    digest,
    runtime: {
      name: 'notifications',
      jobs: notificationJobs(digest),
      subscriptions: notificationSubscriptions({
        notifications: service,
        orders: deps.orders,
        accountTokens: deps.auth.accountTokens,
        customerEmail: async (id) =>
          (await deps.auth.service.getMe(id).catch(ignoreUserNotFound))?.email,
        staff: deps.auth.directory,
        cartReminders: deps.cartReminders,
        wishlists: deps.wishlists,
        apiUrl: settings.apiUrl.replace(/\/$/, ''),
      }),
    },
  }
}

export type { NotificationsService } from './notifications.service.js'
export { NotificationJobs, DIGEST_MAX_LINES } from './notifications.jobs.js'
export { TEMPLATE_NAMES, type TemplateName } from './notifications.templates.js'
export { writeMailPreviews } from './notifications.preview.js'
