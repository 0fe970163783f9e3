import assert from 'node:assert/strict'
import type { TestContext } from '../helpers/context.js'
import { createProduct, type ProductSpec } from '../helpers/catalog.js'

export interface Item {
  id: string
  productId: string
  variantId: string | null
  available: boolean
  title: string | null
  slug: string | null
  variantTitle: string | null
  sku: string | null
  price: { amount: number; currency: string } | null
  inStock: boolean
  addedAt: string
}

export interface Wishlist {
  notifyBackInStock: boolean
  notifyPriceDrop: boolean
  shared: boolean
  data: Item[]
  page: { nextCursor: string | null; hasMore: boolean }
}

/** A published product made by staff; returns its id and its variants' ids. */
export async function product(ctx: TestContext, staff: string, spec: ProductSpec = {}) {
  const created = await createProduct(ctx, staff, spec)
  return { id: created.id, slug: created.slug, variants: created.variants.map((v) => v.id) }
}

export async function wishlistOf(ctx: TestContext, token: string, query = ''): Promise<Wishlist> {
  const res = await ctx.as(token).get(`/v1/me/wishlist${query}`)
  assert.equal(res.statusCode, 200, res.body)
  return res.json() as Wishlist
}

export async function add(
  ctx: TestContext,
  token: string,
  body: { productId: string; variantId?: string },
): Promise<{ status: number; item: Item }> {
  const res = await ctx.as(token).post('/v1/me/wishlist/items', body)
  assert.ok([200, 201].includes(res.statusCode), res.body)
  return { status: res.statusCode, item: res.json() as Item }
}

/** Sets a variant's on-hand stock through the inventory admin API. */
export async function setStock(ctx: TestContext, staff: string, variantId: string, onHand: number) {
  const res = await ctx.as(staff).put(`/v1/admin/inventory/${variantId}`, { onHand })
  assert.equal(res.statusCode, 200, res.body)
}

/** Replaces a variant's prices through the catalog admin API. */
export async function setPrice(
  ctx: TestContext,
  staff: string,
  productId: string,
  variantId: string,
  amount: number,
) {
  const res = await ctx.as(staff).patch(`/v1/admin/products/${productId}/variants/${variantId}`, {
    prices: [{ amount, currency: 'EUR' }],
  })
  assert.equal(res.statusCode, 200, res.body)
}
