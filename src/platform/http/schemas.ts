import { Type, type Static, type TSchema } from '@sinclair/typebox'

/** RFC 9457 problem document; `code` is our stable machine-readable reason. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI identifying the problem type' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    code: Type.String({ description: 'Stable snake_case reason, part of the API' }),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', additionalProperties: true },
)
export type Problem = Static<typeof ProblemSchema>

export const ProblemRef = Type.Ref(ProblemSchema)

export const MoneySchema = Type.Object(
  {
    amount: Type.Integer({ description: 'Integer minor units (cents)', minimum: 0, maximum: 1e12 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
  },
  { $id: 'Money', additionalProperties: false },
)

export const PageInfoSchema = Type.Object({
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  hasMore: Type.Boolean(),
})

export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({ data: Type.Array(item), page: PageInfoSchema })
}

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
}

/** Error replies every route may give; routes add their own (404, 409 …). */
export function problems(...statuses: number[]): Record<number, typeof ProblemRef> {
  const out: Record<number, typeof ProblemRef> = {}
  for (const status of [400, 429, 500, ...statuses]) out[status] = ProblemRef
  return out
}

/** Shared schemas registered once on the app, so OpenAPI lists them as components. */
export const sharedSchemas: TSchema[] = [ProblemSchema, MoneySchema]
