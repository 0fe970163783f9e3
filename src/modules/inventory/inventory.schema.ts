import { Type, type Static } from '@sinclair/typebox'
import { PageOf, PageQuery } from '../../platform/http/schemas.js'

export const VariantIdParams = Type.Object({ variantId: Type.String({ maxLength: 64 }) })

export const SetStockLevelBody = Type.Object(
  {
    onHand: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
    lowStockThreshold: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type SetStockLevelBody = Static<typeof SetStockLevelBody>

export const StockLevelSchema = Type.Object(
  {
    variantId: Type.String(),
    onHand: Type.Integer(),
    reserved: Type.Integer(),
    available: Type.Integer(),
    lowStockThreshold: Type.Integer(),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'StockLevel' },
)
export type StockLevelDto = Static<typeof StockLevelSchema>

export const HeldReservationsQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
})

export const HeldReservationSchema = Type.Object({
  id: Type.String(),
  reference: Type.String(),
  quantity: Type.Integer(),
  status: Type.Union([Type.Literal('held'), Type.Literal('committed'), Type.Literal('released')]),
  expiresAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
})

export const HeldReservationList = Type.Object({ data: Type.Array(HeldReservationSchema) })
export type HeldReservationList = Static<typeof HeldReservationList>

export const LowStockQuery = Type.Object(PageQuery, { additionalProperties: false })
export type LowStockQuery = Static<typeof LowStockQuery>

export const LowStockItemSchema = Type.Object(
  {
    variantId: Type.String(),
    productId: Type.String(),
    productTitle: Type.String(),
    sku: Type.String(),
    title: Type.String({ description: 'The variant’s title' }),
    onHand: Type.Integer(),
    reserved: Type.Integer(),
    available: Type.Integer({ description: 'onHand − reserved, at most lowStockThreshold here' }),
    lowStockThreshold: Type.Integer(),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
)
export type LowStockItem = Static<typeof LowStockItemSchema>
export const LowStockPage = PageOf(LowStockItemSchema)
