import assert from 'node:assert/strict'
import type { TestContext } from '../helpers/context.js'
import { cartWith, checkout } from '../checkout/support.js'

export interface ReviewBody {
  id: string
  rating: number
  title: string | null
  body: string
  status: 'pending' | 'published' | 'rejected'
  verifiedPurchase: boolean
  helpfulCount: number
  createdAt: string
}

export interface RatingBody {
  average: number | null
  count: number
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>
}

export async function writeReview(
  ctx: TestContext,
  token: string,
  productId: string,
  body: { rating: number; title?: string; body: string },
): Promise<ReviewBody> {
  const res = await ctx.as(token).post(`/v1/products/${productId}/reviews`, body)
  assert.equal(res.statusCode, 201, res.body)
  return res.json() as ReviewBody
}

export async function moderate(
  ctx: TestContext,
  staff: string,
  reviewId: string,
  status: 'published' | 'rejected',
): Promise<void> {
  const res = await ctx.as(staff).patch(`/v1/admin/reviews/${reviewId}`, { status })
  assert.equal(res.statusCode, 200, res.body)
}

/** The customer buys one unit of the variant with a card that pays. */
export async function paidCheckout(ctx: TestContext, customer: string, variantId: string) {
  const shopper = await cartWith(ctx, [{ variantId, quantity: 1 }], customer)
  const res = await checkout(ctx, shopper)
  assert.equal(res.statusCode, 201, res.body)
  assert.equal((res.json() as { order: { status: string } }).order.status, 'paid')
}

export async function storefrontRating(ctx: TestContext, productId: string): Promise<RatingBody> {
  const res = await ctx.as().get(`/v1/products/${productId}`)
  assert.equal(res.statusCode, 200, res.body)
  return (res.json() as { rating: RatingBody }).rating
}
