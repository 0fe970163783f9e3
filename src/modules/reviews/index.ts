import type { Kysely } from 'kysely'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime, PlatformDeps } from '../../platform/module.js'
import * as createReviews from './migrations/2026_12_06_2330_create_reviews.js'
import { reviewsRoutes } from './reviews.routes.js'
import { reviewSchemas } from './reviews.schema.js'
import {
  createReviewsService,
  type ReviewsDeps,
  type ReviewsService,
  type ReviewsSettings,
} from './reviews.service.js'
import type { ReviewsTables } from './reviews.tables.js'

export const reviewsMigrations: MigrationSet = {
  '2026_12_06_2330_create_reviews': createReviews,
}

export interface ReviewsModule {
  runtime: ModuleRuntime
  service: ReviewsService
}

/** Reviews, their moderation, helpful votes and each product's rating over its published ones. */
export function createReviewsModule(
  deps: PlatformDeps & Pick<ReviewsDeps, 'catalog' | 'orders'>,
  settings: ReviewsSettings,
): ReviewsModule {
  const service = createReviewsService({
    db: deps.database.db as Kysely<ReviewsTables>,
    uow: deps.uow,
    catalog: deps.catalog,
    orders: deps.orders,
    settings,
  })
  return {
    service,
    runtime: { name: 'reviews', schemas: reviewSchemas, routes: reviewsRoutes(service) },
  }
}

export type { ReviewsService, ReviewsSettings } from './reviews.service.js'
export {
  ReviewEvents,
  type RatingChangedPayload,
  type RatingDistribution,
  type ReviewEventPayload,
} from './reviews.events.js'
