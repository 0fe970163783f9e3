import { Type, type Static } from '@sinclair/typebox'
import { MoneySchema } from '../../platform/http/schemas.js'
import { COUPON_UNAVAILABLE_REASONS } from '../promotions/index.js'

const Money = Type.Ref(MoneySchema)
const Currency = Type.String({ pattern: '^[A-Za-z]{3}$', description: 'ISO 4217 code' })
const Country = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' })
const Timestamp = Type.String({ format: 'date-time' })
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength })

export const MAX_QUANTITY = 99
const Quantity = Type.Integer({ minimum: 1, maximum: MAX_QUANTITY })

export const CartParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
export const CartItemParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  itemId: Type.String({ minLength: 1, maxLength: 64 }),
})

export const CartTokenHeaders = Type.Object({
  'x-cart-token': Type.Optional(
    Type.String({ maxLength: 128, description: "A guest cart's secret, returned at creation" }),
  ),
})

export const CreateCartBody = Type.Object(
  { currency: Type.Optional(Currency) },
  { additionalProperties: false },
)

export const AddItemBody = Type.Object(
  { variantId: Text(64), quantity: Quantity },
  { additionalProperties: false },
)

export const UpdateItemBody = Type.Object(
  {
    quantity: Type.Integer({
      minimum: 0,
      maximum: MAX_QUANTITY,
      description: '0 removes the line',
    }),
  },
  { additionalProperties: false },
)

export const ShippingAddressSchema = Type.Object(
  {
    name: Type.Optional(Text(200)),
    line1: Type.Optional(Text(200)),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.Optional(Text(100)),
    postalCode: Type.Optional(Text(20)),
    country: Country,
  },
  { additionalProperties: false },
)

export const UpdateCartBody = Type.Object(
  {
    email: Type.Optional(
      Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]),
    ),
    shippingAddress: Type.Optional(Type.Union([ShippingAddressSchema, Type.Null()])),
    shippingMethodId: Type.Optional(Type.Union([Text(64), Type.Null()])),
    reminderConsent: Type.Optional(
      Type.Boolean({
        description:
          'Guest carts: true when the shopper agrees to one reminder email at `email` if the cart ' +
          'is left. Setting `email` without it sets it to false. Customers are reminded at their ' +
          "account's address whatever this says.",
      }),
    ),
  },
  { additionalProperties: false },
)

export const UnsubscribeBody = Type.Object(
  { token: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) },
  { additionalProperties: true },
)

export const UnsubscribeQuery = Type.Object({
  token: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
})

export const ApplyCouponBody = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'A coupon code, case-insensitive',
    }),
  },
  { additionalProperties: false },
)

export const CartCouponSchema = Type.Object({
  code: Type.String({ description: 'Normalized upper-case' }),
  kind: Type.Union(
    [
      Type.Literal('percentage'),
      Type.Literal('fixed_amount'),
      Type.Literal('free_shipping'),
      Type.Null(),
    ],
    { description: 'null only when the code no longer exists' },
  ),
  description: Type.Optional(Type.String()),
  unavailableReason: Type.Union(
    [...COUPON_UNAVAILABLE_REASONS.map((r) => Type.Literal(r)), Type.Null()],
    { description: 'Why the code gives nothing now (discount 0); null when it applies' },
  ),
})

export const CartItemSchema = Type.Object({
  id: Type.String(),
  variantId: Type.String(),
  productId: Type.Union([Type.String(), Type.Null()]),
  sku: Type.Union([Type.String(), Type.Null()]),
  title: Type.Union([Type.String(), Type.Null()]),
  productTitle: Type.Union([Type.String(), Type.Null()]),
  quantity: Type.Integer(),
  unitPrice: Type.Union([Money, Type.Null()]),
  lineTotal: Money,
  /** This line's share of the cart's discount; its tax is computed on lineTotal − lineDiscount. */
  lineDiscount: Money,
  /** False when the variant is gone, unpublished or unpriced: the line counts for nothing. */
  available: Type.Boolean(),
  unavailableReason: Type.Union([
    Type.Literal('variant_unavailable'),
    Type.Literal('price_unavailable'),
    Type.Null(),
  ]),
  inStock: Type.Boolean(),
})

export const TotalsSchema = Type.Object({
  subtotal: Money,
  discount: Money,
  shipping: Money,
  tax: Money,
  total: Money,
})

export const CartSchema = Type.Object({
  id: Type.String(),
  currency: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('merged'), Type.Literal('ordered')]),
  email: Type.Union([Type.String(), Type.Null()]),
  reminderConsent: Type.Boolean({
    description: 'Whether a guest agreed to an abandoned-cart reminder at `email`',
  }),
  shippingAddress: Type.Union([ShippingAddressSchema, Type.Null()]),
  shippingMethodId: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(CartItemSchema),
  coupon: Type.Union([CartCouponSchema, Type.Null()]),
  totals: TotalsSchema,
  taxInfo: Type.Object({
    country: Type.Union([Type.String(), Type.Null()]),
    rateBps: Type.Integer({ description: 'Basis points: 1900 = 19 %' }),
    pricesIncludeTax: Type.Boolean(),
    note: Type.Union([Type.String(), Type.Null()]),
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})

export const CreatedCartSchema = Type.Object({
  ...CartSchema.properties,
  token: Type.Union([Type.String(), Type.Null()], {
    description: 'Guest carts: the secret to send as X-Cart-Token, shown once; null for customers',
  }),
})

export const ShippingMethodSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  price: Money,
  freeFrom: Type.Union([Money, Type.Null()]),
})

export const ShippingMethodList = Type.Object({
  country: Type.Union([Type.String(), Type.Null()]),
  data: Type.Array(ShippingMethodSchema),
})

export type Cart = Static<typeof CartSchema>
export type CartItem = Static<typeof CartItemSchema>
export type CartCoupon = Static<typeof CartCouponSchema>
export type CreatedCart = Static<typeof CreatedCartSchema>
export type ShippingMethod = Static<typeof ShippingMethodSchema>
export type AddItemInput = Static<typeof AddItemBody>
export type UpdateCartInput = Static<typeof UpdateCartBody>
