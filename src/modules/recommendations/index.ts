import type { Kysely } from 'kysely'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime, PlatformDeps } from '../../platform/module.js'
import type { CatalogApi } from '../catalog/index.js'
import { OrderEvents, type OrdersService } from '../orders/index.js'
import * as createRecommendations from './migrations/2026_12_06_2300_create_recommendations.js'
import { recommendationsRoutes } from './recommendations.routes.js'
import {
  COUNT_CONSUMER,
  createRecommendationsService,
  type RecommendationsService,
} from './recommendations.service.js'
import type { RecommendationsTables } from './recommendations.tables.js'

export const recommendationsMigrations: MigrationSet = {
  '2026_12_06_2300_create_recommendations': createRecommendations,
}

export interface RecommendationsModule {
  runtime: ModuleRuntime
  service: RecommendationsService
}

/**
 * "Bought together" counts kept from `order.paid` events, and the recommendations read over them,
 * completed by the catalog's similar products.
 */
export function createRecommendationsModule(
  deps: PlatformDeps & {
    catalog: Pick<CatalogApi, 'getProduct' | 'getProducts' | 'similarProducts'>
    orders: Pick<OrdersService, 'getState'>
  },
): RecommendationsModule {
  const service = createRecommendationsService({
    db: deps.database.db as Kysely<RecommendationsTables>,
    read: () => deps.database.read as Kysely<RecommendationsTables>,
    catalog: deps.catalog,
    orders: deps.orders,
  })
  return {
    service,
    runtime: {
      name: 'recommendations',
      routes: recommendationsRoutes(service),
      subscriptions: [
        {
          type: OrderEvents.PAID,
          consumer: COUNT_CONSUMER,
          handler: (event) => service.countPaidOrder(event),
        },
      ],
    },
  }
}

export type { RecommendationsService } from './recommendations.service.js'
