import type { TestContext } from './context.js'
import { uniqueSuffix } from './context.js'

export interface VariantSpec {
  sku?: string
  price?: number
  currency?: string
  prices?: { amount: number; currency: string }[]
  onHand?: number
  options?: Record<string, string>
}

export interface ProductSpec {
  title?: string
  slug?: string
  description?: string
  status?: 'draft' | 'published'
  categoryIds?: string[]
  variants?: VariantSpec[]
}

export function productBody(spec: ProductSpec = {}) {
  const suffix = uniqueSuffix()
  return {
    title: spec.title ?? `Test product ${suffix}`,
    ...(spec.slug ? { slug: spec.slug } : {}),
    description: spec.description ?? 'A product made by a test.',
    status: spec.status ?? 'published',
    ...(spec.categoryIds ? { categoryIds: spec.categoryIds } : {}),
    variants: (spec.variants ?? [{}]).map((v, i) => ({
      sku: v.sku ?? `SKU-${suffix}-${i}`.toUpperCase(),
      price: { amount: v.price ?? 1000, currency: v.currency ?? 'EUR' },
      ...(v.prices ? { prices: v.prices } : {}),
      onHand: v.onHand ?? 10,
      ...(v.options ? { options: v.options } : {}),
    })),
  }
}

/** Creates a product through the admin API and returns the admin representation. */
export async function createProduct(ctx: TestContext, token: string, spec: ProductSpec = {}) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/admin/products',
    headers: { authorization: `Bearer ${token}` },
    payload: productBody(spec),
  })
  if (res.statusCode !== 201)
    throw new Error(`create product failed: ${res.statusCode} ${res.body}`)
  return res.json() as AdminProduct
}

export async function createCategory(
  ctx: TestContext,
  token: string,
  name: string,
  parentId?: string,
) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/admin/categories',
    headers: { authorization: `Bearer ${token}` },
    payload: {
      name,
      slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${uniqueSuffix()}`,
      ...(parentId ? { parentId } : {}),
    },
  })
  if (res.statusCode !== 201)
    throw new Error(`create category failed: ${res.statusCode} ${res.body}`)
  return res.json() as { id: string; slug: string; name: string }
}

export interface AdminProduct {
  id: string
  slug: string
  title: string
  status: string
  version: number
  variants: {
    id: string
    sku: string
    price: { amount: number; currency: string } | null
    prices: { amount: number; currency: string }[]
    onHand: number
    reserved: number
    available: number
    inStock: boolean
  }[]
}

export interface StoreProduct {
  id: string
  slug: string
  title: string
  variants: {
    id: string
    sku: string
    price: { amount: number; currency: string }
    inStock: boolean
  }[]
}

export interface StorePage {
  data: StoreProduct[]
  page: { nextCursor: string | null; hasMore: boolean }
}
