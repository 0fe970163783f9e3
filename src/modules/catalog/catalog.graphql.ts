import { connection, given, orNull } from '../../platform/graphql/resolvers.js'
import type { GraphqlPart } from '../../platform/graphql/plugin.js'
import type { Resolvers } from '../../graphql.types.js'
import type { Cache } from '../../platform/cache/cache.js'
import type { CatalogApi } from './catalog.api.js'
import { readThrough, type CachedReply } from './catalog.cache.js'
import { ProductListQuery, type ProductDto } from './catalog.schema.js'

export const catalogTypeDefs = /* GraphQL */ `
  extend type Query {
    """
    Published products. \`query\` is full-text search (relevance order unless \`sort\` says
    otherwise); \`category\` (id or slug) includes its subcategories; prices filter in \`currency\`.
    \`sort\` is REST's: comma-separated price, createdAt, title, relevance; '-' for descending.
    """
    products(
      first: Int = 20
      after: String
      query: String
      category: String
      minPrice: Int
      maxPrice: Int
      inStock: Boolean
      currency: String
      sort: String
    ): ProductConnection! @complexity(value: 1, multipliers: ["first"])
    """
    A published product by id or slug; null when there is none.
    """
    product(id: ID, slug: String, currency: String): Product
    """
    The category tree: top-level categories with their children.
    """
    categories: [Category!]!
    """
    A category and its subtree, by id or slug; null when there is none.
    """
    category(id: ID, slug: String): Category
  }

  type ProductConnection {
    nodes: [Product!]!
    pageInfo: PageInfo!
  }

  type Product {
    id: ID!
    slug: String!
    title: String!
    description: String!
    categories: [CategorySummary!]!
    rating: ProductRating!
    variants: [Variant!]!
    createdAt: DateTime!
    updatedAt: DateTime!
    "Images in position order."
    images: [ProductImage!]!
  }

  "A product image: the re-encoded original (metadata stripped) and two WebP thumbnails."
  type ProductImage {
    id: ID!
    url: String!
    alt: String!
    width: Int!
    height: Int!
    thumbnails: ImageThumbnails!
  }

  "WebP thumbnails, 200 and 600 px wide (never enlarged)."
  type ImageThumbnails {
    small: String!
    medium: String!
  }

  """
  The rating over a product's published reviews.
  """
  type ProductRating {
    """
    Mean of the published ratings, 2 decimals; null when there are none.
    """
    average: Float
    count: Int!
    """
    Published reviews with 1, 2, 3, 4 and 5 stars, in that order.
    """
    distribution: [Int!]!
  }

  type CategorySummary {
    id: ID!
    slug: String!
    name: String!
  }

  type Variant {
    id: ID!
    sku: String!
    title: String!
    options: [VariantOption!]!
    """
    The price in the currency asked for (the store currency by default).
    """
    price: Money!
    inStock: Boolean!
  }

  """
  One option of a variant, e.g. size: M.
  """
  type VariantOption {
    name: String!
    value: String!
  }

  type Category {
    id: ID!
    slug: String!
    name: String!
    description: String!
    parentId: ID
    position: Int!
    children: [Category!]!
    createdAt: DateTime!
    updatedAt: DateTime!
  }
`

/** A line that names its product, with the currency to price that product in. */
interface ProductRef {
  productId: string | null
  currency: string
}

/**
 * A Mercurius loader for a `product: Product` field of lines that name a product (cart and order
 * lines): one `getProducts` per currency for all the lines an operation asks it of, whatever the
 * number of carts and orders.
 */
export function productLoader<Line>(
  catalog: Pick<CatalogApi, 'getProducts'>,
  refOf: (line: Line) => ProductRef,
) {
  return async (queries: { obj: Line }[]) => {
    const refs = queries.map((q) => refOf(q.obj))
    const byCurrency = new Map<string, Set<string>>()
    for (const { productId, currency } of refs) {
      if (productId === null) continue
      const ids = byCurrency.get(currency) ?? new Set<string>()
      byCurrency.set(currency, ids.add(productId))
    }
    const found = new Map<string, ProductDto | null>()
    await Promise.all(
      [...byCurrency].map(async ([currency, set]) => {
        const ids = [...set]
        const products = await catalog.getProducts(ids, currency)
        ids.forEach((id, i) => found.set(`${currency}:${id}`, products[i] ?? null))
      }),
    )
    return refs.map((r) =>
      r.productId === null ? null : found.get(`${r.currency}:${r.productId}`),
    )
  }
}

/**
 * The storefront catalog over the same service calls as `GET /v1/products` and friends. GET
 * queries of these root fields alone share the REST replies' cache and its invalidations.
 */
export function catalogGraphql(catalog: CatalogApi, cache: Cache<CachedReply>): GraphqlPart {
  const resolvers: Resolvers = {
    Query: {
      products: async (_root, args, context) => {
        const query = context.input(
          ProductListQuery,
          given({
            limit: args.first,
            cursor: args.after,
            q: args.query,
            category: args.category,
            minPrice: args.minPrice,
            maxPrice: args.maxPrice,
            inStock: args.inStock,
            currency: args.currency,
            sort: args.sort,
          }),
          '/products',
        )
        const page = await catalog.listProducts(query)
        return connection(page)
      },
      product: async (_root, { id, slug, currency }) => {
        const ref = id ?? slug
        if (!ref) return null
        return orNull(catalog.getProduct(ref, currency ?? undefined))
      },
      categories: () => catalog.categories.tree(),
      category: async (_root, { id, slug }) => {
        const ref = id ?? slug
        return ref ? orNull(catalog.categories.get(ref)) : null
      },
    },
    ProductRating: {
      distribution: ({ distribution: d }) => [d['1'], d['2'], d['3'], d['4'], d['5']],
    },
    Variant: {
      options: (variant) =>
        Object.entries(variant.options as unknown as Record<string, string>).map(
          ([name, value]) => ({ name, value }),
        ),
    },
  }
  return {
    resolvers: resolvers as GraphqlPart['resolvers'],
    cachedQueries: {
      rootFields: ['products', 'product', 'categories', 'category'],
      readThrough: readThrough(cache),
    },
  }
}
