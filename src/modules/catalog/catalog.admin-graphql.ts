import { connection, given, orNull } from '../../platform/graphql/resolvers.js'
import { CommonErrors } from '../../platform/errors.js'
import { requirePermission } from '../../platform/graphql/context.js'
import type { GraphqlPart } from '../../platform/graphql/plugin.js'
import type {
  CategoryInput as CategoryInputArgs,
  CategoryPatch as CategoryPatchArgs,
  ProductInput as ProductInputArgs,
  ProductPatch as ProductPatchArgs,
  Resolvers,
  VariantInput as VariantInputArgs,
  VariantOptionInput,
  VariantPatch as VariantPatchArgs,
} from '../../graphql.types.js'
import type { CatalogApi } from './catalog.api.js'
import {
  AdminProductListQuery,
  CategoryInput,
  CategoryPatch,
  ProductBatchInput,
  ProductInput,
  ProductPatch,
  VariantInput,
  VariantPatch,
} from './catalog.schema.js'

export const catalogAdminTypeDefs = /* GraphQL */ `
  extend type Query {
    """
    Every product, drafts included, newest first (relevance with \`query\`). Needs catalog:read.
    """
    adminProducts(
      first: Int = 20
      after: String
      status: ProductStatus
      """
      Full-text search.
      """
      query: String
    ): AdminProductConnection! @complexity(value: 1, multipliers: ["first"])
    """
    A product with its stock figures and version, draft or published; null when there is none.
    Needs catalog:read.
    """
    adminProduct(id: ID!): AdminProduct
  }

  extend type Mutation {
    """
    Creates a product with its variants and their stock. Needs catalog:write.
    """
    createProduct(input: ProductInput!): AdminProduct!
    """
    Creates up to 100 products, all or nothing. Needs catalog:write.
    """
    createProducts(products: [ProductInput!]!): [AdminProduct!]!
    """
    Updates a product's fields; with \`expectedVersion\` (REST's If-Match) a product changed since
    is \`precondition_failed\`. Needs catalog:write.
    """
    updateProduct(id: ID!, input: ProductPatch!, expectedVersion: Int): AdminProduct!
    """
    Deletes a product (soft: orders keep it). Needs catalog:write.
    """
    deleteProduct(id: ID!, expectedVersion: Int): Boolean!
    """
    Adds a variant to a product. Needs catalog:write.
    """
    addVariant(productId: ID!, input: VariantInput!, expectedVersion: Int): AdminProduct!
    """
    Updates a variant's SKU, title, options or prices. Needs catalog:write.
    """
    updateVariant(
      productId: ID!
      variantId: ID!
      input: VariantPatch!
      expectedVersion: Int
    ): AdminProduct!
    """
    Deletes a variant; a product keeps at least one. Needs catalog:write.
    """
    deleteVariant(productId: ID!, variantId: ID!, expectedVersion: Int): AdminProduct!
    """
    Creates a category. Needs catalog:write.
    """
    createCategory(input: CategoryInput!): Category!
    """
    Updates or moves a category (\`parentId: null\` makes it top-level). Needs catalog:write.
    """
    updateCategory(id: ID!, input: CategoryPatch!, expectedVersion: Int): Category!
    """
    Deletes a category without subcategories. Needs catalog:write.
    """
    deleteCategory(id: ID!): Boolean!
  }

  enum ProductStatus {
    draft
    published
  }

  type AdminProductConnection {
    nodes: [AdminProduct!]!
    pageInfo: PageInfo!
  }

  type AdminProduct {
    id: ID!
    slug: String!
    title: String!
    description: String!
    status: ProductStatus!
    categories: [CategorySummary!]!
    variants: [AdminVariant!]!
    """
    Row version, for \`expectedVersion\` (REST's ETag is "v<version>").
    """
    version: Int!
    createdAt: DateTime!
    updatedAt: DateTime!
    "Images in position order."
    images: [ProductImage!]!
  }

  type AdminVariant {
    id: ID!
    sku: String!
    title: String!
    options: [VariantOption!]!
    """
    The price in the store currency; null when it has none.
    """
    price: Money
    """
    Every price, one per currency.
    """
    prices: [Money!]!
    inStock: Boolean!
    onHand: Int!
    reserved: Int!
    available: Int!
  }

  """
  One option of a variant, e.g. size: M; names are unique within a variant.
  """
  input VariantOptionInput {
    name: String!
    value: String!
  }

  input VariantInput {
    sku: String!
    title: String
    options: [VariantOptionInput!]
    """
    The price in the store currency.
    """
    price: MoneyInput!
    """
    Prices in other currencies.
    """
    prices: [MoneyInput!]
    """
    Starting stock (0 when not given).
    """
    onHand: Int
  }

  """
  The fields given replace the variant's; \`prices\` replaces every price.
  """
  input VariantPatch {
    sku: String
    title: String
    options: [VariantOptionInput!]
    prices: [MoneyInput!]
  }

  input ProductInput {
    title: String!
    """
    Derived from the title when not given.
    """
    slug: String
    description: String
    status: ProductStatus!
    categoryIds: [ID!]
    variants: [VariantInput!]!
  }

  """
  The fields given replace the product's; \`categoryIds\` replaces its categories.
  """
  input ProductPatch {
    title: String
    slug: String
    description: String
    status: ProductStatus
    categoryIds: [ID!]
  }

  input CategoryInput {
    name: String!
    """
    Derived from the name when not given.
    """
    slug: String
    description: String
    parentId: ID
    position: Int
  }

  """
  The fields given replace the category's; \`parentId: null\` makes it top-level.
  """
  input CategoryPatch {
    name: String
    slug: String
    description: String
    parentId: ID
    position: Int
  }
`

/** `[{ name, value }]` as the record the service takes; a repeated name is `validation_failed`. */
function optionsOf(
  list: readonly VariantOptionInput[] | null | undefined,
  path: string,
): Record<string, string> | undefined {
  if (!list) return undefined
  const options: Record<string, string> = {}
  for (const [i, { name, value }] of list.entries()) {
    if (Object.hasOwn(options, name))
      throw CommonErrors.validation([{ path: `${path}/${i}/name`, message: 'is repeated' }])
    options[name] = value
  }
  return options
}

function variantInput(input: VariantInputArgs, path: string): Record<string, unknown> {
  return given({ ...input, options: optionsOf(input.options, `${path}/options`) })
}

function variantPatch(input: VariantPatchArgs, path: string): Record<string, unknown> {
  return given({ ...input, options: optionsOf(input.options, `${path}/options`) })
}

function productInput(input: ProductInputArgs, path: string): Record<string, unknown> {
  return given({
    ...input,
    variants: input.variants.map((v, i) => variantInput(v, `${path}/variants/${i}`)),
  })
}

const productPatch = (input: ProductPatchArgs) => given(input)
const categoryInput = (input: CategoryInputArgs | CategoryPatchArgs) => given(input, ['parentId'])

/**
 * The catalog admin over the same service calls as `/v1/admin/products` and
 * `/v1/admin/categories`, with the permissions those routes declare.
 */
export function catalogAdminGraphql(catalog: CatalogApi): GraphqlPart {
  const resolvers: Resolvers = {
    Query: {
      adminProducts: async (_root, args, context) => {
        requirePermission(context, 'catalog:read')
        const query = context.input(
          AdminProductListQuery,
          given({ limit: args.first, cursor: args.after, status: args.status, q: args.query }),
          '/adminProducts',
        )
        const page = await catalog.adminListProducts(query)
        return connection(page)
      },
      adminProduct: async (_root, { id }, context) => {
        requirePermission(context, 'catalog:read')
        return orNull(catalog.adminGetProduct(id))
      },
    },
    Mutation: {
      createProduct: async (_root, args, context) => {
        requirePermission(context, 'catalog:write')
        const path = '/createProduct/input'
        return catalog.createProduct(
          context.input(ProductInput, productInput(args.input, path), path),
        )
      },
      createProducts: async (_root, args, context) => {
        requirePermission(context, 'catalog:write')
        const path = '/createProducts'
        const body = context.input(
          ProductBatchInput,
          { products: args.products.map((p, i) => productInput(p, `${path}/products/${i}`)) },
          path,
        )
        return catalog.createProducts(body.products)
      },
      updateProduct: async (_root, args, context) => {
        requirePermission(context, 'catalog:write')
        const patch = context.input(ProductPatch, productPatch(args.input), '/updateProduct/input')
        return catalog.updateProduct(args.id, patch, args.expectedVersion ?? undefined)
      },
      deleteProduct: async (_root, args, context) => {
        requirePermission(context, 'catalog:write')
        await catalog.deleteProduct(args.id, args.expectedVersion ?? undefined)
        return true
      },
      addVariant: async (_root, args, context) => {
        requirePermission(context, 'catalog:write')
        const path = '/addVariant/input'
        const input = context.input(VariantInput, variantInput(args.input, path), path)
        return catalog.addVariant(args.productId, input, args.expectedVersion ?? undefined)
      },
      updateVariant: async (_root, args, context) => {
        requirePermission(context, 'catalog:write')
        const path = '/updateVariant/input'
        const patch = context.input(VariantPatch, variantPatch(args.input, path), path)
        return catalog.updateVariant(
          args.productId,
          args.variantId,
          patch,
          args.expectedVersion ?? undefined,
        )
      },
      deleteVariant: async (_root, args, context) => {
        requirePermission(context, 'catalog:write')
        return catalog.deleteVariant(
          args.productId,
          args.variantId,
          args.expectedVersion ?? undefined,
        )
      },
      createCategory: async (_root, args, context) => {
        requirePermission(context, 'catalog:write')
        const input = context.input(
          CategoryInput,
          categoryInput(args.input),
          '/createCategory/input',
        )
        return catalog.categories.create(input)
      },
      updateCategory: async (_root, args, context) => {
        requirePermission(context, 'catalog:write')
        const patch = context.input(
          CategoryPatch,
          categoryInput(args.input),
          '/updateCategory/input',
        )
        return catalog.categories.update(args.id, patch, args.expectedVersion ?? undefined)
      },
      deleteCategory: async (_root, args, context) => {
        requirePermission(context, 'catalog:write')
        await catalog.categories.remove(args.id)
        return true
      },
    },
    AdminVariant: {
      options: (variant) =>
        Object.entries(variant.options).map(([name, value]) => ({ name, value })),
    },
  }
  return { resolvers: resolvers as GraphqlPart['resolvers'] }
}
