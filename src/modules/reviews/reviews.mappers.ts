import type { ReviewRow } from './reviews.repo.js'
import type { AdminReviewDto, ReviewDto } from './reviews.schema.js'

export function toReviewDto(row: ReviewRow): ReviewDto {
  return {
    id: row.id,
    rating: row.rating,
    title: row.title,
    body: row.body,
    status: row.status,
    verifiedPurchase: row.verified_purchase,
    helpfulCount: row.helpful_count,
    createdAt: row.created_at.toISOString(),
  }
}

export function toAdminReviewDto(row: ReviewRow): AdminReviewDto {
  return {
    ...toReviewDto(row),
    productId: row.product_id,
    customerId: row.customer_id,
    updatedAt: row.updated_at.toISOString(),
  }
}
