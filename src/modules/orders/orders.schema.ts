import { Type, type Static } from '@sinclair/typebox'
import { MoneySchema, PageOf, PageQuery } from '../../platform/http/schemas.js'
import { ORDER_STATUSES } from './orders.state.js'

const Money = Type.Ref(MoneySchema)
const Timestamp = Type.String({ format: 'date-time' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()])
const Status = Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s)))

export const OrderParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

export const OrderTokenHeaders = Type.Object({
  'x-order-token': Type.Optional(
    Type.String({ maxLength: 128, description: "A guest order's secret, returned at checkout" }),
  ),
})

const OrderItem = Type.Object({
  variantId: Type.String(),
  productId: Nullable(Type.String()),
  sku: Nullable(Type.String()),
  title: Nullable(Type.String()),
  productTitle: Nullable(Type.String()),
  quantity: Type.Integer(),
  unitPrice: Money,
  lineTotal: Money,
})

export const AddressSchema = Type.Object({
  name: Type.String(),
  line1: Type.String(),
  line2: Type.Optional(Type.String()),
  city: Type.String(),
  postalCode: Type.String(),
  country: Type.String(),
})

const HistoryEntry = Type.Object({
  type: Type.String({ description: 'order.created, order.paid, order.fulfilled …' }),
  at: Timestamp,
  status: Status,
  data: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), { description: 'What changed (staff view)' }),
  ),
})

export const OrderSchema = Type.Object(
  {
    id: Type.String(),
    number: Type.String({ description: 'Human-friendly, e.g. EMP-10001' }),
    status: Status,
    email: Type.String(),
    currency: Type.String(),
    items: Type.Array(OrderItem),
    totals: Type.Object({
      subtotal: Money,
      discount: Money,
      shipping: Money,
      tax: Money,
      total: Money,
    }),
    shippingAddress: AddressSchema,
    shippingMethod: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
    couponCode: Nullable(Type.String()),
    payment: Type.Object({
      method: Type.String(),
      status: Type.String({
        description: 'pending, paid, declined, voided, refunded, partially_refunded',
      }),
      amount: Money,
      refunded: Money,
    }),
    fulfillments: Type.Array(
      Type.Object({
        id: Type.String(),
        trackingNumber: Nullable(Type.String()),
        carrier: Nullable(Type.String()),
        at: Timestamp,
      }),
    ),
    cancelReason: Nullable(Type.String()),
    history: Type.Array(HistoryEntry),
    notes: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String(),
          text: Type.String(),
          author: Nullable(Type.String()),
          at: Timestamp,
        }),
        { description: 'Staff notes (staff view only)' },
      ),
    ),
    customerId: Type.Optional(Nullable(Type.String())),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Order' },
)
export type Order = Static<typeof OrderSchema>
export const OrderRef = Type.Ref(OrderSchema)
export const OrderPage = PageOf(OrderRef)

export const OrderListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })

export const AdminOrderListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Status),
    email: Type.Optional(Type.String({ maxLength: 320 })),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Order number or email contains' }),
    ),
    createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
    createdTo: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
)

export const FulfillBody = Type.Object(
  {
    trackingNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    carrier: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
)

export const RefundBody = Type.Object(
  {
    amount: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1e12,
        description: 'Minor units; default: all that is left',
      }),
    ),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
)

export const NoteBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
)
