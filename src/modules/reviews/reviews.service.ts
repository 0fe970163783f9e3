import type { Kysely } from 'kysely'
import { uniqueViolation } from '../../platform/db/errors.js'
import { narrow, type Emit, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import type { FieldError } from '../../platform/errors.js'
import { CommonErrors } from '../../platform/errors.js'
import { cursorId, decodeCursor, toPage, type Page } from '../../platform/pagination.js'
import { newId } from '../../shared/ids.js'
import type { OrdersService } from '../orders/index.js'
import { adjustProductRating } from './rating.repo.js'
import { ReviewErrors } from './reviews.errors.js'
import { ratingChangedEvent, ReviewEvents, reviewEvent } from './reviews.events.js'
import { toAdminReviewDto, toReviewDto } from './reviews.mappers.js'
import * as repo from './reviews.repo.js'
import type {
  AdminReviewDto,
  AdminReviewListQuery,
  CreateReviewInput,
  ModerateReviewInput,
  ReviewDto,
  ReviewListQuery,
} from './reviews.schema.js'
import type { ReviewsTables, ReviewStatus } from './reviews.tables.js'
import { cleanReviewText } from './reviews.text.js'

/** What the reviews module asks other modules, through their doors. */
export interface ReviewsDeps {
  db: Kysely<ReviewsTables>
  uow: UnitOfWork
  /**
   * A review is of a published product: the catalog's `getProducts` (null where none). Typed
   * here rather than imported, as the catalog imports this module's rating event.
   */
  catalog: { getProducts(ids: readonly string[]): Promise<readonly (object | null)[]> }
  /** Whether the author bought it (`verifiedPurchase`). */
  orders: Pick<OrdersService, 'hasPaidOrderWithProduct'>
  settings: ReviewsSettings
}

/** What the reviews module reads from the configuration. */
export interface ReviewsSettings {
  /** REVIEWS_AUTO_PUBLISH_VERIFIED: a verified purchase's review skips the moderation queue. */
  autoPublishVerified: boolean
}

const sortOf = (query: ReviewListQuery) => query.sort ?? '-createdAt'

function parseReviewCursor(cursor: string | undefined): repo.ReviewKey | null {
  if (cursor === undefined) return null
  const values = decodeCursor(cursor, 2)
  const [rating, id] = values ?? []
  if (typeof rating !== 'number' || typeof id !== 'string') throw CommonErrors.invalidCursor()
  return { rating, id }
}

/**
 * Counts a review into or out of its product's rating when its status enters or leaves
 * `published`, in the caller's transaction, and emits the new rating.
 */
async function recount(
  trx: repo.ReviewsDb,
  emit: Emit,
  row: repo.ReviewRow,
  from: ReviewStatus | null,
  to: ReviewStatus,
): Promise<void> {
  const was = from === 'published'
  const is = to === 'published'
  if (was === is) return
  emit(ratingChangedEvent(await adjustProductRating(trx, row.product_id, row.rating, is ? 1 : -1)))
}

function eventPayload(row: repo.ReviewRow) {
  return {
    reviewId: row.id,
    productId: row.product_id,
    customerId: row.customer_id,
    rating: row.rating,
    title: row.title,
    body: row.body,
    status: row.status,
    verifiedPurchase: row.verified_purchase,
  }
}

export function createReviewsService(deps: ReviewsDeps) {
  const { db, uow } = deps

  async function publishedReview(id: string): Promise<repo.ReviewRow> {
    const row = await repo.findReview(db, id)
    if (!row || row.status !== 'published') throw ReviewErrors.notFound(id)
    return row
  }

  return {
    /**
     * A customer's review of a published product: 201 pending (or published at once for a
     * verified purchase when auto-publish is on); a second one is 409 `review_exists`.
     */
    async create(
      customerId: string,
      productId: string,
      input: CreateReviewInput,
    ): Promise<ReviewDto> {
      const errors: FieldError[] = []
      const text = cleanReviewText(input, errors)
      if (errors.length > 0) throw ReviewErrors.invalid(errors)
      const [product] = await deps.catalog.getProducts([productId])
      if (!product) throw ReviewErrors.productNotFound(productId)
      const verified = await deps.orders.hasPaidOrderWithProduct(customerId, productId)
      const status = verified && deps.settings.autoPublishVerified ? 'published' : 'pending'
      try {
        const row = await uow.run(async (trx, emit) => {
          const t = narrow<ReviewsTables>(trx)
          const created = await repo.insertReview(t, {
            id: newId('rev'),
            product_id: productId,
            customer_id: customerId,
            rating: input.rating,
            ...text,
            status,
            verified_purchase: verified,
          })
          emit(reviewEvent(ReviewEvents.created, eventPayload(created)))
          await recount(t, emit, created, null, status)
          if (status === 'published')
            emit(reviewEvent(ReviewEvents.published, eventPayload(created)))
          return created
        })
        return toReviewDto(row)
      } catch (error) {
        if (uniqueViolation(error) === 'review_product_customer_uq')
          throw ReviewErrors.exists(productId)
        throw error
      }
    },

    async listPublished(productId: string, query: ReviewListQuery): Promise<Page<ReviewDto>> {
      const limit = query.limit ?? 20
      const sort = sortOf(query)
      const after = parseReviewCursor(query.cursor)
      const rows = await repo.listPublishedReviews(
        db,
        productId,
        sort,
        query.rating,
        after,
        limit + 1,
      )
      return toPage(rows, limit, toReviewDto, (r) => [r.rating, r.id])
    },

    async listForStaff(query: AdminReviewListQuery): Promise<Page<AdminReviewDto>> {
      const limit = query.limit ?? 20
      const rows = await repo.listReviewsForStaff(db, query, cursorId(query.cursor), limit + 1)
      return toPage(rows, limit, toAdminReviewDto, (r) => [r.id])
    },

    /**
     * Publishes or rejects a review (a published one can be rejected again). The product's
     * rating moves in the same transaction, under the review's row lock; setting the status it
     * already has changes nothing and emits nothing.
     */
    async moderate(id: string, input: ModerateReviewInput): Promise<AdminReviewDto> {
      const row = await uow.run(async (trx, emit) => {
        const t = narrow<ReviewsTables>(trx)
        const current = await repo.lockReview(t, id)
        if (!current) throw ReviewErrors.notFound(id)
        if (current.status === input.status) return current
        const updated = await repo.setReviewStatus(t, id, input.status)
        await recount(t, emit, updated, current.status, input.status)
        if (input.status === 'published')
          emit(reviewEvent(ReviewEvents.published, eventPayload(updated)))
        return updated
      })
      return toAdminReviewDto(row)
    },

    /** One vote per customer and published review; voting again returns the same count. */
    async markHelpful(customerId: string, reviewId: string): Promise<ReviewDto> {
      await publishedReview(reviewId)
      const row = await uow.run(async (trx) => {
        const t = narrow<ReviewsTables>(trx)
        const counted = await repo.insertHelpfulVote(t, reviewId, customerId)
        return counted ? repo.countHelpfulVote(t, reviewId) : repo.findReview(t, reviewId)
      })
      return toReviewDto(row!)
    },
  }
}

export type ReviewsService = ReturnType<typeof createReviewsService>
