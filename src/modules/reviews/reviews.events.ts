import type { NewEvent } from '../../platform/events/types.js'
import type { ReviewStatus } from './reviews.tables.js'

export const ReviewEvents = {
  /** A customer wrote a review (payload {@link ReviewEventPayload}). */
  created: 'review.created',
  /** Staff (or the verified-purchase auto-publish) published a review. */
  published: 'review.published',
  /** A product's published-review summary changed (payload {@link RatingChangedPayload}). */
  ratingChanged: 'product.rating_changed',
} as const

export interface ReviewEventPayload {
  reviewId: string
  productId: string
  customerId: string
  rating: number
  title: string | null
  body: string
  status: ReviewStatus
  verifiedPurchase: boolean
}

/** Counts of published reviews per star, keyed "1" to "5". */
export type RatingDistribution = Record<'1' | '2' | '3' | '4' | '5', number>

/**
 * A product's rating over its published reviews after a change. `version` grows by one per
 * change of that product, so a projection keeps the highest it has seen.
 */
export interface RatingChangedPayload {
  productId: string
  average: number | null
  count: number
  distribution: RatingDistribution
  version: number
}

export function reviewEvent(
  type: typeof ReviewEvents.created | typeof ReviewEvents.published,
  payload: ReviewEventPayload,
): NewEvent {
  return { type, aggregateType: 'review', aggregateId: payload.reviewId, payload: { ...payload } }
}

export function ratingChangedEvent(payload: RatingChangedPayload): NewEvent {
  return {
    type: ReviewEvents.ratingChanged,
    aggregateType: 'product',
    aggregateId: payload.productId,
    payload: { ...payload },
  }
}
