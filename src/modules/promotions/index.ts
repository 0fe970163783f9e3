import type { Kysely } from 'kysely'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime } from '../../platform/module.js'
import type { PlatformDeps } from '../../platform/module.js'
import * as createPromotions from './migrations/2026_11_21_1000_create_promotions.js'
import { promotionsRoutes } from './promotions.routes.js'
import { promotionsGraphql } from './promotions.graphql.js'
import { createPromotionsService, type PromotionsService } from './promotions.service.js'
import type { PromotionsTables } from './promotions.tables.js'

export const promotionsMigrations: MigrationSet = {
  '2026_11_21_1000_create_promotions': createPromotions,
}

export interface PromotionsModule {
  runtime: ModuleRuntime
  service: PromotionsService
}

export function createPromotionsModule(deps: PlatformDeps): PromotionsModule {
  const service = createPromotionsService({ db: deps.database.db as Kysely<PromotionsTables> })
  return {
    service,
    runtime: {
      name: 'promotions',
      routes: promotionsRoutes(service),
      graphql: [promotionsGraphql(service)],
    },
  }
}

export { promotionsTypeDefs } from './promotions.graphql.js'
export type { EvaluateInput, PromotionsService } from './promotions.service.js'
export type { RedeemInput, Redeemed } from './redemptions.service.js'
export {
  COUPON_UNAVAILABLE_REASONS,
  discountFor,
  normalizeCode,
  type CouponUnavailableReason,
  type Evaluation,
  type Promotion,
} from './promotions.rules.js'
export type { PromotionKind } from './promotions.tables.js'
export { PromotionErrors, couponError } from './promotions.errors.js'
export { PromotionEvents, type RedemptionPayload } from './promotions.events.js'
