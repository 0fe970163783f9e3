import type { Kysely } from 'kysely'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime } from '../../platform/module.js'
import type { CatalogApi } from '../catalog/index.js'
import type { PromotionsService } from '../promotions/index.js'
import type { ModuleDeps } from '../index.js'
import { mailBrand } from '../../platform/mail/layout.js'
import { abandonedCarts } from './carts.abandoned.js'
import { cartsRoutes } from './carts.routes.js'
import { createCartsService, type CartsService } from './carts.service.js'
import type { CartsTables } from './carts.tables.js'
import * as createCarts from './migrations/2026_11_21_0840_create_carts.js'
import * as addCoupon from './migrations/2026_11_21_1010_add_cart_coupon.js'
import * as allowOrdered from './migrations/2026_11_21_1015_allow_ordered_carts.js'
import * as addRemindedAt from './migrations/2026_11_21_1016_add_cart_reminded_at.js'

export const cartsMigrations: MigrationSet = {
  '2026_11_21_0840_create_carts': createCarts,
  '2026_11_21_1010_add_cart_coupon': addCoupon,
  '2026_11_21_1015_allow_ordered_carts': allowOrdered,
  '2026_11_21_1016_add_cart_reminded_at': addRemindedAt,
}

export interface CartsModule {
  runtime: ModuleRuntime
  service: CartsService
  abandoned: ReturnType<typeof abandonedCarts>
}

export function createCartsModule(
  deps: ModuleDeps & {
    catalog: CatalogApi
    promotions: PromotionsService
    /** A signed-in customer's account email, for the abandoned-cart reminder. */
    customerEmail: (customerId: string) => Promise<string | undefined>
  },
): CartsModule {
  const service = createCartsService({
    db: deps.database.db as Kysely<CartsTables>,
    uow: deps.uow,
    catalog: deps.catalog,
    promotions: deps.promotions,
    storeCurrency: deps.config.storeCurrency,
    pricesIncludeTax: deps.config.pricesIncludeTax,
  })
  const abandoned = abandonedCarts({
    db: deps.database.db as Kysely<CartsTables>,
    uow: deps.uow,
    mailer: deps.mailer,
    logger: deps.logger.child({ module: 'carts' }),
    links: { storefrontUrl: deps.config.storefrontUrl, brand: mailBrand(deps.config.mailFrom) },
    afterHours: deps.config.abandonedCartAfterHours,
    customerEmail: deps.customerEmail,
  })
  return {
    service,
    abandoned,
    runtime: {
      name: 'carts',
      routes: cartsRoutes(service),
      jobs: [abandoned.job],
      subscriptions: [abandoned.subscription],
    },
  }
}

export type { CartCaller, CartsService } from './carts.service.js'
export { cartCheckout, type CartCheckout } from './carts.checkout.js'
export { CART_ABANDONED, REMIND_ABANDONED_JOB } from './carts.abandoned.js'
export type { Cart, CartCoupon, CartItem, ShippingMethod } from './carts.schema.js'
export { CartErrors } from './carts.errors.js'
/** For routes outside carts that act on a cart (checkout): the same caller and header schema. */
export { cartCallerOf } from './carts.routes.js'
export { CartTokenHeaders } from './carts.schema.js'
export {
  allocateDiscount,
  computeTotals,
  type Totals,
  type TotalsLine,
  type TotalsOptions,
} from './carts.totals.js'
