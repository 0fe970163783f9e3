import { Type, type Static } from '@sinclair/typebox'
import { MoneySchema, PageOf, PageQuery } from '../../platform/http/schemas.js'

const Money = Type.Ref(MoneySchema)
const Timestamp = Type.String({ format: 'date-time' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()])

export const PromotionKindSchema = Type.Union(
  [Type.Literal('percentage'), Type.Literal('fixed_amount'), Type.Literal('free_shipping')],
  { description: 'percentage (percentOffBps), fixed_amount (amountOff) or free_shipping' },
)

export const CodeSchema = Type.String({
  pattern: '^[A-Za-z0-9_-]{3,32}$',
  description: 'Case-insensitive; stored upper-case. Letters, digits, _ and -, 3–32 characters',
})

const PercentOffBps = Type.Integer({
  minimum: 1,
  maximum: 10_000,
  description: 'percentage: basis points off the subtotal (1000 = 10 %)',
})
const AmountOff = Type.Array(Money, {
  minItems: 1,
  maxItems: 20,
  description: 'fixed_amount: the amount off per currency (never more than the subtotal)',
})
const MinimumSubtotal = Type.Array(Money, {
  minItems: 1,
  maxItems: 20,
  description: 'When set, the promotion applies only in these currencies, from these subtotals',
})
const Limit = Type.Integer({ minimum: 1, maximum: 1_000_000_000 })
const Description = Type.String({ minLength: 1, maxLength: 500 })

export const PromotionSchema = Type.Object(
  {
    id: Type.String({ description: 'promo_ prefixed id' }),
    code: Type.String(),
    kind: PromotionKindSchema,
    description: Nullable(Type.String()),
    percentOffBps: Nullable(Type.Integer()),
    amountOff: Nullable(Type.Array(Money)),
    minimumSubtotal: Nullable(Type.Array(Money)),
    startsAt: Nullable(Timestamp),
    endsAt: Nullable(Timestamp),
    usageLimit: Nullable(Type.Integer({ description: 'Uses in total; null: unlimited' })),
    perCustomerLimit: Nullable(
      Type.Integer({ description: 'Uses per customer id, or per email for guests' }),
    ),
    timesUsed: Type.Integer(),
    active: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
)
export type PromotionDto = Static<typeof PromotionSchema>

export const CreatePromotionBody = Type.Object(
  {
    code: CodeSchema,
    kind: PromotionKindSchema,
    description: Type.Optional(Description),
    percentOffBps: Type.Optional(PercentOffBps),
    amountOff: Type.Optional(AmountOff),
    minimumSubtotal: Type.Optional(MinimumSubtotal),
    startsAt: Type.Optional(Timestamp),
    endsAt: Type.Optional(Timestamp),
    usageLimit: Type.Optional(Limit),
    perCustomerLimit: Type.Optional(Limit),
    active: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
)
export type CreatePromotionInput = Static<typeof CreatePromotionBody>

/** Every field but the code can change; null clears an optional one. */
export const UpdatePromotionBody = Type.Object(
  {
    kind: Type.Optional(PromotionKindSchema),
    description: Type.Optional(Nullable(Description)),
    percentOffBps: Type.Optional(Nullable(PercentOffBps)),
    amountOff: Type.Optional(Nullable(AmountOff)),
    minimumSubtotal: Type.Optional(Nullable(MinimumSubtotal)),
    startsAt: Type.Optional(Nullable(Timestamp)),
    endsAt: Type.Optional(Nullable(Timestamp)),
    usageLimit: Type.Optional(Nullable(Limit)),
    perCustomerLimit: Type.Optional(Nullable(Limit)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdatePromotionInput = Static<typeof UpdatePromotionBody>

export const PromotionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

export const PromotionPageQuery = Type.Object(PageQuery, { additionalProperties: false })
export type PromotionPageQueryDto = Static<typeof PromotionPageQuery>

export const PromotionPage = PageOf(PromotionSchema)
