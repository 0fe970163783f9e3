import { Type, type Static } from '@sinclair/typebox'
import { PageOf, PageQuery } from '../../../platform/http/schemas.js'

export const CustomerSummarySchema = Type.Object(
  {
    id: Type.String({ description: 'usr_ prefixed id' }),
    email: Type.String({ description: 'Lower-cased' }),
    name: Type.String(),
    emailVerified: Type.Boolean(),
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
)
export type CustomerSummary = Static<typeof CustomerSummarySchema>

export const CustomerListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Part of the email address or the name, any case',
      }),
    ),
  },
  { additionalProperties: false },
)
export type CustomerListInput = Static<typeof CustomerListQuery>

export const CustomerPage = PageOf(CustomerSummarySchema)
