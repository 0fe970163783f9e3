import type { Kysely } from 'kysely'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime } from '../../platform/module.js'
import type { CatalogApi } from '../catalog/index.js'
import type { PromotionsService } from '../promotions/index.js'
import type { PlatformDeps } from '../../platform/module.js'
import { abandonedCarts } from './carts.abandoned.js'
import { cartsGraphql } from './carts.graphql.js'
import { cartsRoutes } from './carts.routes.js'
import { createCartsService, type CartsService } from './carts.service.js'
import type { CartsTables } from './carts.tables.js'
import * as createCarts from './migrations/2026_11_21_0840_create_carts.js'
import * as addCoupon from './migrations/2026_11_21_1010_add_cart_coupon.js'
import * as allowOrdered from './migrations/2026_11_21_1015_allow_ordered_carts.js'
import * as addRemindedAt from './migrations/2026_11_21_1016_add_cart_reminded_at.js'
import * as addVersion from './migrations/2026_12_01_2345_add_cart_version.js'
import * as addReminderConsent from './migrations/2026_12_05_1500_add_cart_reminder_consent.js'
import { cartReminders, type CartReminders } from './carts.reminders.js'

export const cartsMigrations: MigrationSet = {
  '2026_11_21_0840_create_carts': createCarts,
  '2026_11_21_1010_add_cart_coupon': addCoupon,
  '2026_11_21_1015_allow_ordered_carts': allowOrdered,
  '2026_11_21_1016_add_cart_reminded_at': addRemindedAt,
  '2026_12_01_2345_add_cart_version': addVersion,
  '2026_12_05_1500_add_cart_reminder_consent': addReminderConsent,
}

export interface CartsModule {
  runtime: ModuleRuntime
  service: CartsService
  abandoned: ReturnType<typeof abandonedCarts>
  /** For the notifications module: unsubscribe tokens and opt-outs of reminders. */
  reminders: CartReminders
}

/** What the carts module reads from the configuration. */
export interface CartsSettings {
  storeCurrency: string
  pricesIncludeTax: boolean
  /** Open carts with an email untouched this long are marked abandoned (a reminder follows). */
  abandonedCartAfterHours: number
}

export function createCartsModule(
  deps: PlatformDeps & {
    catalog: CatalogApi
    promotions: PromotionsService
  },
  settings: CartsSettings,
): CartsModule {
  const service = createCartsService({
    db: deps.database.db as Kysely<CartsTables>,
    uow: deps.uow,
    catalog: deps.catalog,
    promotions: deps.promotions,
    storeCurrency: settings.storeCurrency,
    pricesIncludeTax: settings.pricesIncludeTax,
  })
  const abandoned = abandonedCarts({
    db: deps.database.db as Kysely<CartsTables>,
    uow: deps.uow,
    afterHours: settings.abandonedCartAfterHours,
  })
  const reminders = cartReminders(deps.database.db as Kysely<CartsTables>)
  return {
    service,
    abandoned,
    reminders,
    runtime: {
      name: 'carts',
      routes: cartsRoutes(service, reminders),
      graphql: [cartsGraphql(service, deps.catalog)],
      jobs: [abandoned.job],
    },
  }
}

export type {
  CartCaller,
  CartsService,
  CheckoutAddress,
  CheckoutLine,
  CheckoutSnapshot,
} from './carts.service.js'
export {
  CART_ABANDONED,
  REMIND_ABANDONED_JOB,
  type AbandonedCartPayload,
} from './carts.abandoned.js'
export type { CartReminders } from './carts.reminders.js'
export { cartsTypeDefs } from './carts.graphql.js'
export type { Cart, CartCoupon, CartItem, ShippingMethod } from './carts.schema.js'
export { CartErrors } from './carts.errors.js'
/** For routes outside carts that act on a cart (checkout): the same caller and header schema. */
export { cartCallerOf } from './carts.routes.js'
export {
  AddItemBody,
  CartParams,
  CartSchema,
  CartTokenHeaders,
  CreateCartBody,
  CreatedCartSchema,
} from './carts.schema.js'
export {
  allocateDiscount,
  computeTotals,
  type Totals,
  type TotalsLine,
  type TotalsOptions,
} from './carts.totals.js'
