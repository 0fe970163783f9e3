import { Type, type Static } from '@sinclair/typebox'
import { PageOf, PageQuery } from '../../../platform/http/schemas.js'
import { PERMISSIONS } from '../core/permissions.js'

const Scope = Type.Union(PERMISSIONS.map((p) => Type.Literal(p)))

export const ApiKeySchema = Type.Object(
  {
    id: Type.String({ description: 'key_ prefixed id' }),
    name: Type.String(),
    prefix: Type.String({ description: 'The start of the key, to recognise it; not a secret' }),
    scopes: Type.Array(Type.String()),
    createdBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'Updated at most once a minute',
    }),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { additionalProperties: false },
)
export type ApiKeyDto = Static<typeof ApiKeySchema>

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    scopes: Type.Array(Scope, {
      minItems: 1,
      uniqueItems: true,
      description: 'Permissions the key grants; each must be held by the creator',
    }),
  },
  { additionalProperties: false },
)
export type CreateApiKeyInput = Static<typeof CreateApiKeyBody>

export const CreatedApiKeyReply = Type.Object({
  apiKey: ApiKeySchema,
  key: Type.String({ description: 'emp_…: shown this once, stored only as a hash' }),
})

export const ApiKeyParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
export const ApiKeyListQuery = Type.Object(PageQuery, { additionalProperties: false })
export type ApiKeyListInput = Static<typeof ApiKeyListQuery>
export const ApiKeyPage = PageOf(ApiKeySchema)
