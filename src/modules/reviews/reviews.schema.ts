import { Type, type Static } from '@sinclair/typebox'
import { PageOf, PageQuery } from '../../platform/http/schemas.js'

const Id = Type.String({ minLength: 1, maxLength: 64 })
const Timestamp = Type.String({ format: 'date-time' })
const Rating = Type.Integer({ minimum: 1, maximum: 5 })
const Status = Type.Union([
  Type.Literal('pending'),
  Type.Literal('published'),
  Type.Literal('rejected'),
])

export const ReviewSchema = Type.Object(
  {
    id: Type.String({ description: 'rev_ prefixed id' }),
    rating: Rating,
    title: Type.Union([Type.String(), Type.Null()]),
    body: Type.String({ description: 'Plain text, as written (trimmed); escape it to render' }),
    status: Status,
    verifiedPurchase: Type.Boolean({
      description: 'The author had a paid order with the product when writing',
    }),
    helpfulCount: Type.Integer({ description: 'Customers who marked it helpful' }),
    createdAt: Timestamp,
  },
  { $id: 'Review', additionalProperties: false },
)
export type ReviewDto = Static<typeof ReviewSchema>

export const AdminReviewSchema = Type.Object(
  {
    ...ReviewSchema.properties,
    productId: Type.String(),
    customerId: Type.String(),
    updatedAt: Timestamp,
  },
  { $id: 'AdminReview', additionalProperties: false },
)
export type AdminReviewDto = Static<typeof AdminReviewSchema>

export const CreateReviewBody = Type.Object(
  {
    rating: Rating,
    title: Type.Optional(Type.String({ maxLength: 120, description: 'Plain text, ≤ 120' })),
    body: Type.String({ minLength: 1, maxLength: 5000, description: 'Plain text, 1–5000' }),
  },
  { additionalProperties: false },
)
export type CreateReviewInput = Static<typeof CreateReviewBody>

export const REVIEW_SORTS = ['-createdAt', '-rating', 'rating'] as const
export type ReviewSort = (typeof REVIEW_SORTS)[number]

export const ReviewListQuery = Type.Object(
  {
    ...PageQuery,
    sort: Type.Optional(
      Type.Union(
        REVIEW_SORTS.map((s) => Type.Literal(s)),
        { description: 'Newest first (default), best first, or worst first' },
      ),
    ),
    rating: Type.Optional(Rating),
  },
  { additionalProperties: false },
)
export type ReviewListQuery = Static<typeof ReviewListQuery>

export const AdminReviewListQuery = Type.Object(
  { ...PageQuery, status: Type.Optional(Status), productId: Type.Optional(Id) },
  { additionalProperties: false },
)
export type AdminReviewListQuery = Static<typeof AdminReviewListQuery>

export const ModerateReviewBody = Type.Object(
  { status: Type.Union([Type.Literal('published'), Type.Literal('rejected')]) },
  { additionalProperties: false },
)
export type ModerateReviewInput = Static<typeof ModerateReviewBody>

export const ProductIdParams = Type.Object({ id: Id })
export const ReviewParams = Type.Object({ id: Id })

export const ReviewPage = PageOf(Type.Ref(ReviewSchema))
export const AdminReviewPage = PageOf(Type.Ref(AdminReviewSchema))

export const reviewSchemas = [ReviewSchema, AdminReviewSchema]
