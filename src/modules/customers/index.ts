import type { Kysely } from 'kysely'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { DomainEvent } from '../../platform/events/types.js'
import type { ModuleRuntime } from '../../platform/module.js'
import { AccountEvents } from '../auth/index.js'
import type { PlatformDeps } from '../../platform/module.js'
import { customersRoutes } from './customers.routes.js'
import { createCustomersService, type CustomersService } from './customers.service.js'
import type { CustomersTables } from './customers.tables.js'
import * as createAddresses from './migrations/2026_11_21_0750_create_addresses.js'

export const customersMigrations: MigrationSet = {
  '2026_11_21_0750_create_addresses': createAddresses,
}

export interface CustomersModule {
  runtime: ModuleRuntime
  service: CustomersService
}

export function createCustomersModule(deps: PlatformDeps): CustomersModule {
  const db = deps.database.db as Kysely<CustomersTables>
  const service = createCustomersService({
    db,
    uow: deps.uow,
    logger: deps.logger.child({ module: 'customers' }),
  })
  return {
    runtime: {
      name: 'customers',
      routes: customersRoutes(service),
      subscriptions: [
        {
          // The account is anonymised by auth; the personal data kept here goes with it.
          type: AccountEvents.CUSTOMER_DELETED,
          consumer: 'customers.forget-customer',
          handler: async (event: DomainEvent) => {
            await service.forgetCustomer(event.aggregateId)
          },
        },
      ],
    },
    service,
  }
}

export type { CustomersService } from './customers.service.js'
export type { Address } from './customers.schema.js'
export { CustomersErrors } from './customers.errors.js'
