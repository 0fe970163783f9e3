import { Type, type Static } from '@sinclair/typebox'

const Id = Type.String({ minLength: 1, maxLength: 64 })

/** One product image as every product read lists it (storefront, admin, GraphQL). */
export const ProductImageSchema = Type.Object(
  {
    id: Type.String(),
    url: Type.String({ description: 'The re-encoded original, metadata stripped' }),
    alt: Type.String(),
    width: Type.Integer(),
    height: Type.Integer(),
    thumbnails: Type.Object({
      small: Type.String({ description: 'WebP, 200 px wide (never enlarged)' }),
      medium: Type.String({ description: 'WebP, 600 px wide (never enlarged)' }),
    }),
  },
  { $id: 'ProductImage' },
)
export type ProductImageDto = Static<typeof ProductImageSchema>

/** What an upload or a change answers: the image with its place among the product's images. */
export const AdminProductImageSchema = Type.Object(
  {
    ...ProductImageSchema.properties,
    position: Type.Integer({ description: '0-based place in the product’s images' }),
  },
  { $id: 'AdminProductImage' },
)
export type AdminProductImageDto = Static<typeof AdminProductImageSchema>

export const ImageParams = Type.Object({ id: Id, imageId: Id })

export const ImagePatch = Type.Object(
  {
    alt: Type.Optional(Type.String({ maxLength: 500 })),
    position: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1000,
        description: 'Moves the image there (0 = first); past the end means last',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type ImagePatch = Static<typeof ImagePatch>

export const mediaSchemas = [ProductImageSchema, AdminProductImageSchema]
