import { Type, type Static } from '@sinclair/typebox'
import { MoneySchema, PageInfoSchema, PageQuery } from '../../platform/http/schemas.js'

const Id = Type.String({ minLength: 1, maxLength: 64 })
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()])

const itemFields = {
  productId: Type.String(),
  variantId: Nullable(Type.String({ description: 'null: the product as a whole' })),
  available: Type.Boolean({
    description: 'false when the product (or the variant) was unpublished or deleted',
  }),
  title: Nullable(Type.String({ description: "The product's title; null when unavailable" })),
  slug: Nullable(Type.String()),
  variantTitle: Nullable(Type.String()),
  sku: Nullable(Type.String()),
  price: Type.Union([Type.Ref(MoneySchema), Type.Null()], {
    description:
      "The current price in the store currency: the variant's, or the product's lowest; null when unavailable",
  }),
  inStock: Type.Boolean({
    description: 'Now: the variant, or any variant of the product; false when unavailable',
  }),
  addedAt: Type.String({ format: 'date-time' }),
}

export const WishlistItemSchema = Type.Object(
  { id: Type.String({ description: 'wli_ prefixed id' }), ...itemFields },
  { $id: 'WishlistItem', additionalProperties: false },
)
export type WishlistItem = Static<typeof WishlistItemSchema>

export const SharedWishlistItemSchema = Type.Object(itemFields, {
  $id: 'SharedWishlistItem',
  additionalProperties: false,
})
export type SharedWishlistItem = Static<typeof SharedWishlistItemSchema>

export const WishlistSchema = Type.Object(
  {
    notifyBackInStock: Type.Boolean(),
    notifyPriceDrop: Type.Boolean(),
    shared: Type.Boolean({ description: 'Whether a share link is active' }),
    data: Type.Array(Type.Ref(WishlistItemSchema)),
    page: PageInfoSchema,
  },
  { additionalProperties: false },
)
export type Wishlist = Static<typeof WishlistSchema>

export const SharedWishlistSchema = Type.Object(
  { data: Type.Array(Type.Ref(SharedWishlistItemSchema)), page: PageInfoSchema },
  { additionalProperties: false },
)
export type SharedWishlist = Static<typeof SharedWishlistSchema>

export const WishlistPageQuery = Type.Object(PageQuery, { additionalProperties: false })
export type WishlistPage = Static<typeof WishlistPageQuery>

export const AddItemBody = Type.Object(
  { productId: Id, variantId: Type.Optional(Id) },
  { additionalProperties: false },
)
export type AddItemInput = Static<typeof AddItemBody>

export const WishlistSettingsBody = Type.Object(
  {
    notifyBackInStock: Type.Optional(Type.Boolean()),
    notifyPriceDrop: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type WishlistSettingsInput = Static<typeof WishlistSettingsBody>

export const ItemParams = Type.Object({ itemId: Id })
export const ShareParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 128 }) })

export const ShareLinkSchema = Type.Object(
  {
    token: Type.String({ description: 'Shown once; only its hash is kept' }),
    path: Type.String({ description: 'The public read-only path, /v1/wishlists/shared/<token>' }),
  },
  { additionalProperties: false },
)

export const UnsubscribeQuery = Type.Object({
  token: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
})
/** JSON `{ token }`, or RFC 8058's one-click form body (parsed to `{}`: the token is in the query). */
export const UnsubscribeBody = Type.Object(
  { token: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) },
  { additionalProperties: true },
)

export const wishlistsSchemas = [WishlistItemSchema, SharedWishlistItemSchema]
