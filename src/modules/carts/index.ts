import type { Kysely } from 'kysely'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime } from '../../platform/module.js'
import type { CatalogApi } from '../catalog/index.js'
import type { ModuleDeps } from '../index.js'
import { cartsRoutes } from './carts.routes.js'
import { createCartsService, type CartsService } from './carts.service.js'
import type { CartsTables } from './carts.tables.js'
import * as createCarts from './migrations/2026_11_21_0840_create_carts.js'

export const cartsMigrations: MigrationSet = {
  '2026_11_21_0840_create_carts': createCarts,
}

export interface CartsModule {
  runtime: ModuleRuntime
  service: CartsService
}

export function createCartsModule(deps: ModuleDeps & { catalog: CatalogApi }): CartsModule {
  const service = createCartsService({
    db: deps.database.db as Kysely<CartsTables>,
    uow: deps.uow,
    catalog: deps.catalog,
    storeCurrency: deps.config.storeCurrency,
    pricesIncludeTax: deps.config.pricesIncludeTax,
  })
  return { service, runtime: { name: 'carts', routes: cartsRoutes(service) } }
}

export type { CartCaller, CartsService } from './carts.service.js'
export type { Cart, CartItem, ShippingMethod } from './carts.schema.js'
export { CartErrors } from './carts.errors.js'
export { computeTotals, type Totals, type TotalsLine, type TotalsOptions } from './carts.totals.js'
