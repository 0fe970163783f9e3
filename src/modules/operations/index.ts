import type { ModuleRuntime } from '../../platform/module.js'
import type { PlatformDeps } from '../../platform/module.js'
import { operationsRoutes } from './operations.routes.js'
import { createOperationsService, type OperationsService } from './operations.service.js'

export interface OperationsModule {
  runtime: ModuleRuntime
  service: OperationsService
}

/** Operator views of the platform (jobs and schedules); it owns no tables. */
export function createOperationsModule(deps: PlatformDeps): OperationsModule {
  const service = createOperationsService({ db: deps.database.db, jobs: deps.jobs })
  return { service, runtime: { name: 'operations', routes: operationsRoutes(service) } }
}

export type { OperationsService } from './operations.service.js'
