import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export type ReviewStatus = 'pending' | 'published' | 'rejected'

/** One customer's review of one product; only `published` ones are shown and counted. */
export interface ReviewTable {
  id: string
  product_id: string
  customer_id: string
  rating: number
  title: string | null
  body: string
  status: ReviewStatus
  verified_purchase: boolean
  helpful_count: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

/** One customer's "helpful" vote on one review (at most one each). */
export interface HelpfulVoteTable {
  review_id: string
  customer_id: string
  created_at: Timestamp
}

/**
 * The published reviews of a product, summed: adjusted by atomic increments in the transaction
 * that publishes or unpublishes a review, never recomputed. `version` orders the projections.
 */
export interface ProductRatingTable {
  product_id: string
  count: number
  sum: number
  stars_1: number
  stars_2: number
  stars_3: number
  stars_4: number
  stars_5: number
  version: number
}

/** The reviews module's tables, and only those. */
export interface ReviewsTables {
  'reviews.review': ReviewTable
  'reviews.helpful_vote': HelpfulVoteTable
  'reviews.product_rating': ProductRatingTable
}
