import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { ReviewSort } from './reviews.schema.js'
import type { ReviewsTables, ReviewStatus, ReviewTable } from './reviews.tables.js'

export type ReviewsDb = Kysely<ReviewsTables> | Transaction<ReviewsTables>
export type ReviewRow = Selectable<ReviewTable>

const COLUMNS = [
  'id',
  'product_id',
  'customer_id',
  'rating',
  'title',
  'body',
  'status',
  'verified_purchase',
  'helpful_count',
  'created_at',
  'updated_at',
] as const

export async function insertReview(
  trx: ReviewsDb,
  values: Omit<Insertable<ReviewTable>, 'helpful_count' | 'created_at' | 'updated_at'>,
): Promise<ReviewRow> {
  return trx
    .insertInto('reviews.review')
    .values(values)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function findReview(db: ReviewsDb, id: string): Promise<ReviewRow | undefined> {
  return db.selectFrom('reviews.review').select(COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** Moderation of one review queues here, so its entering or leaving `published` counts once. */
export async function lockReview(trx: ReviewsDb, id: string): Promise<ReviewRow | undefined> {
  return trx
    .selectFrom('reviews.review')
    .select(COLUMNS)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export async function setReviewStatus(
  trx: ReviewsDb,
  id: string,
  status: ReviewStatus,
): Promise<ReviewRow> {
  return trx
    .updateTable('reviews.review')
    .set({ status, updated_at: new Date() })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

/** Where a page of published reviews continues: the last row's rating (rating sorts) and id. */
export interface ReviewKey {
  rating: number
  id: string
}

/**
 * A product's published reviews. Ids are time-ordered, so "newest first" is `id desc`; the
 * rating sorts break ties newest first too, which keeps the keyset a plain row comparison.
 */
export async function listPublishedReviews(
  db: ReviewsDb,
  productId: string,
  sort: ReviewSort,
  rating: number | undefined,
  after: ReviewKey | null,
  limit: number,
): Promise<ReviewRow[]> {
  let query = db
    .selectFrom('reviews.review')
    .select(COLUMNS)
    .where('product_id', '=', productId)
    .where('status', '=', 'published')
  if (rating !== undefined) query = query.where('rating', '=', rating)
  if (after && sort === '-createdAt') query = query.where('id', '<', after.id)
  if (after && sort !== '-createdAt') {
    const step = sort === '-rating' ? sql`rating < ${after.rating}` : sql`rating > ${after.rating}`
    query = query.where(sql<boolean>`(${step} or (rating = ${after.rating} and id < ${after.id}))`)
  }
  if (sort === '-rating') query = query.orderBy('rating', 'desc')
  if (sort === 'rating') query = query.orderBy('rating', 'asc')
  return query.orderBy('id', 'desc').limit(limit).execute()
}

/** Newest first, optionally one status and one product: the moderation queue. */
export async function listReviewsForStaff(
  db: ReviewsDb,
  filter: { status?: ReviewStatus | undefined; productId?: string | undefined },
  beforeId: string | undefined,
  limit: number,
): Promise<ReviewRow[]> {
  let query = db.selectFrom('reviews.review').select(COLUMNS)
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.productId) query = query.where('product_id', '=', filter.productId)
  if (beforeId) query = query.where('id', '<', beforeId)
  return query.orderBy('id', 'desc').limit(limit).execute()
}

/** False when this customer had voted already (the vote is not counted twice). */
export async function insertHelpfulVote(
  trx: ReviewsDb,
  reviewId: string,
  customerId: string,
): Promise<boolean> {
  const inserted = await trx
    .insertInto('reviews.helpful_vote')
    .values({ review_id: reviewId, customer_id: customerId })
    .onConflict((oc) => oc.columns(['review_id', 'customer_id']).doNothing())
    .returning('review_id')
    .executeTakeFirst()
  return inserted !== undefined
}

export async function countHelpfulVote(trx: ReviewsDb, reviewId: string): Promise<ReviewRow> {
  return trx
    .updateTable('reviews.review')
    .set({ helpful_count: sql`helpful_count + 1` })
    .where('id', '=', reviewId)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}
