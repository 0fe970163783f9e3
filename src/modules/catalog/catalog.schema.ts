import { Type, type Static } from '@sinclair/typebox'
import { MoneySchema, PageOf, PageQuery } from '../../platform/http/schemas.js'
import { ProductImageSchema } from './media/media.schema.js'

const Id = Type.String({ minLength: 1, maxLength: 64 })
const Slug = Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', minLength: 1, maxLength: 120 })
const Sku = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$', minLength: 1, maxLength: 64 })
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })
const Timestamp = Type.String({ format: 'date-time' })
const Options = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 80 }), {
  maxProperties: 10,
  description: 'Option name → value, e.g. { "size": "M", "color": "Black" }',
})
const Money = Type.Ref(MoneySchema)

export const CategorySummarySchema = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
})

const variantFields = {
  id: Type.String(),
  sku: Type.String(),
  title: Type.String(),
  options: Type.Record(Type.String(), Type.String()),
}

export const VariantSchema = Type.Object(
  { ...variantFields, price: Money, inStock: Type.Boolean() },
  { $id: 'Variant' },
)
export type VariantDto = Static<typeof VariantSchema>

const StarCount = Type.Integer({ minimum: 0 })
export const RatingSchema = Type.Object(
  {
    average: Type.Union([Type.Number(), Type.Null()], {
      description: 'Mean of the published ratings, 2 decimals; null when there are none',
    }),
    count: Type.Integer({ description: 'Published reviews' }),
    distribution: Type.Object(
      { '1': StarCount, '2': StarCount, '3': StarCount, '4': StarCount, '5': StarCount },
      { description: 'Published reviews per star rating' },
    ),
  },
  { $id: 'Rating' },
)
export type RatingDto = Static<typeof RatingSchema>

const productFields = {
  id: Type.String(),
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
  categories: Type.Array(CategorySummarySchema),
  rating: Type.Ref(RatingSchema),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  images: Type.Array(Type.Ref(ProductImageSchema), { description: 'In position order' }),
}

export const ProductSchema = Type.Object(
  { ...productFields, variants: Type.Array(Type.Ref(VariantSchema)) },
  { $id: 'Product' },
)
export type ProductDto = Static<typeof ProductSchema>

export const AdminVariantSchema = Type.Object(
  {
    ...variantFields,
    price: Type.Union([Money, Type.Null()], { description: 'Price in the store currency' }),
    prices: Type.Array(Money),
    inStock: Type.Boolean(),
    onHand: Type.Integer(),
    reserved: Type.Integer(),
    available: Type.Integer(),
  },
  { $id: 'AdminVariant' },
)
export type AdminVariantDto = Static<typeof AdminVariantSchema>

export const AdminProductSchema = Type.Object(
  {
    ...productFields,
    variants: Type.Array(Type.Ref(AdminVariantSchema)),
    version: Type.Integer({ description: 'Row version; the ETag is "v<version>"' }),
  },
  { $id: 'AdminProduct' },
)
export type AdminProductDto = Static<typeof AdminProductSchema>

export const SORT_FIELDS = ['price', 'createdAt', 'title', 'relevance'] as const
export type SortField = (typeof SORT_FIELDS)[number]

export const ProductListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Full-text search' }),
    ),
    category: Type.Optional(
      Type.String({
        maxLength: 120,
        description: 'Category id or slug; includes its subcategories',
      }),
    ),
    minPrice: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Minor units, in `currency`' }),
    ),
    maxPrice: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Minor units, in `currency`' }),
    ),
    inStock: Type.Optional(Type.Boolean()),
    currency: Type.Optional(Currency),
    sort: Type.Optional(
      Type.String({
        maxLength: 100,
        pattern: '^-?[a-zA-Z]+(,-?[a-zA-Z]+)*$',
        description: `Comma-separated, '-' for descending: ${SORT_FIELDS.join(', ')}. Default: relevance with q, else -createdAt`,
      }),
    ),
  },
  { additionalProperties: false },
)
export type ProductListQuery = Static<typeof ProductListQuery>

export const AdminProductListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('published')])),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
)
export type AdminProductListQuery = Static<typeof AdminProductListQuery>

export const ProductPage = PageOf(Type.Ref(ProductSchema))
export const AdminProductPage = PageOf(Type.Ref(AdminProductSchema))

export const IdOrSlugParams = Type.Object({
  idOrSlug: Type.String({ minLength: 1, maxLength: 120 }),
})
export const IdParams = Type.Object({ id: Id })
export const VariantParams = Type.Object({ id: Id, variantId: Id })
export const CurrencyQuery = Type.Object(
  { currency: Type.Optional(Currency) },
  { additionalProperties: false },
)

export const VariantInput = Type.Object(
  {
    sku: Sku,
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    options: Type.Optional(Options),
    price: Money,
    prices: Type.Optional(
      Type.Array(Money, { maxItems: 20, description: 'Prices in other currencies' }),
    ),
    onHand: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
  },
  { additionalProperties: false },
)
export type VariantInput = Static<typeof VariantInput>

export const VariantPatch = Type.Object(
  {
    sku: Type.Optional(Sku),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    options: Type.Optional(Options),
    prices: Type.Optional(
      Type.Array(Money, { minItems: 1, maxItems: 20, description: 'Replaces every price' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type VariantPatch = Static<typeof VariantPatch>

const Status = Type.Union([Type.Literal('draft'), Type.Literal('published')])

export const ProductInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    slug: Type.Optional(Slug),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    status: Status,
    categoryIds: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true })),
    variants: Type.Array(VariantInput, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
)
export type ProductInput = Static<typeof ProductInput>

export const ProductPatch = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    slug: Type.Optional(Slug),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    status: Type.Optional(Status),
    categoryIds: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type ProductPatch = Static<typeof ProductPatch>

export const ProductBatchInput = Type.Object(
  { products: Type.Array(ProductInput, { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
)
export type ProductBatchInput = Static<typeof ProductBatchInput>

export const CategorySchema = Type.Object(
  {
    id: Type.String(),
    slug: Type.String(),
    name: Type.String(),
    description: Type.String(),
    parentId: Type.Union([Type.String(), Type.Null()]),
    position: Type.Integer(),
    children: Type.Array(Type.Ref('Category')),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Category' },
)
export interface CategoryDto {
  id: string
  slug: string
  name: string
  description: string
  parentId: string | null
  position: number
  children: CategoryDto[]
  createdAt: string
  updatedAt: string
}

export const CategoryInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    slug: Type.Optional(Slug),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
)
export type CategoryInput = Static<typeof CategoryInput>
export const CategoryPatch = Type.Partial(CategoryInput, {
  additionalProperties: false,
  minProperties: 1,
})
export type CategoryPatch = Static<typeof CategoryPatch>
export const CategoryList = Type.Object({ data: Type.Array(Type.Ref(CategorySchema)) })

export const catalogSchemas = [
  RatingSchema,
  VariantSchema,
  ProductSchema,
  AdminVariantSchema,
  AdminProductSchema,
  CategorySchema,
]
