import etag from '@fastify/etag'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { CatalogApi, ProductDto } from '../catalog/index.js'
import { acpErrorHandler } from './acp.errors.js'

export type FeedCatalog = Pick<CatalogApi, 'listProducts'>

const FeedQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
)

/** Agents re-read the feed often: a private copy is fresh this long, then revalidated by ETag. */
const CACHE_CONTROL = 'private, max-age=60'

/**
 * One catalog product as the feed spec's `Product`: its images in order become `media` (the
 * re-encoded originals, absolute URLs, with their size and alt text). The feed schema has no
 * member for ratings, so they are not sent.
 */
export function toFeedProduct(product: ProductDto, productUrl: (slug: string) => string) {
  const categories = product.categories.map((c) => ({ value: c.name, taxonomy: 'merchant' }))
  return {
    id: product.id,
    title: product.title,
    ...(product.description ? { description: { plain: product.description } } : {}),
    url: productUrl(product.slug),
    ...(product.images.length > 0
      ? {
          media: product.images.map((image) => ({
            type: 'image',
            url: image.url,
            ...(image.alt ? { alt_text: image.alt } : {}),
            width: image.width,
            height: image.height,
          })),
        }
      : {}),
    variants: product.variants.map((v) => ({
      id: v.id,
      title: v.title ? `${product.title} - ${v.title}` : product.title,
      url: `${productUrl(product.slug)}?variant=${encodeURIComponent(v.id)}`,
      price: { amount: v.price.amount, currency: v.price.currency },
      availability: { available: v.inStock, status: v.inStock ? 'in_stock' : 'out_of_stock' },
      ...(categories.length > 0 ? { categories } : {}),
      variant_options: Object.entries(v.options).map(([name, value]) => ({ name, value })),
    })),
  }
}

/**
 * `GET /acp/feed`: the published products with stock, as the feed spec's `ProductsResponse`, a
 * page at a time (the next page's address in `Link: <…>; rel="next"`), with an ETag.
 */
export function acpFeedRoutes(catalog: FeedCatalog, publicUrl: string, storefrontUrl: string) {
  const productUrl = (slug: string) => `${storefrontUrl}/products/${encodeURIComponent(slug)}`
  return async (fastify: FastifyInstance) => {
    fastify.setErrorHandler(acpErrorHandler)
    await fastify.register(etag, { algorithm: 'sha1' })
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.get(
      '/acp/feed',
      {
        config: { access: { permission: 'agentic_checkout' } },
        schema: {
          tags: ['acp'],
          summary: 'The product feed (ACP ProductsResponse), paginated by Link rel="next"',
          security: [{ bearer: [] }],
          querystring: FeedQuery,
        },
      },
      async (request, reply) => {
        const limit = request.query.limit ?? 50
        const page = await catalog.listProducts({
          limit,
          inStock: true,
          sort: 'createdAt',
          ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
        })
        if (page.page.nextCursor) {
          const next = `${publicUrl}/acp/feed?limit=${limit}&cursor=${encodeURIComponent(page.page.nextCursor)}`
          reply.header('link', `<${next}>; rel="next"`)
        }
        reply.header('cache-control', CACHE_CONTROL)
        return { products: page.data.map((p) => toFeedProduct(p, productUrl)) }
      },
    )
  }
}
