import { Type, type Static } from '@sinclair/typebox'
import { PageInfoSchema, PageQuery } from '../../../platform/http/schemas.js'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../core/passwords.js'

/** `rt_` then 32 random bytes in base64url: recognisable to secret scanners. */
export const REFRESH_TOKEN_PATTERN = '^rt_[A-Za-z0-9_-]{43}$'

const RefreshToken = Type.String({
  maxLength: 256,
  description: 'Opaque refresh token (rt_…); single use',
})

export const RefreshTokenIn = Type.Union([Type.Literal('body'), Type.Literal('cookie')], {
  description:
    '"cookie" puts the refresh token in an HttpOnly cookie (Path=/v1/auth) instead of the body',
})
export type RefreshTokenDelivery = Static<typeof RefreshTokenIn>

export const RefreshBody = Type.Object(
  {
    refreshToken: Type.Optional(RefreshToken),
    refreshTokenIn: Type.Optional(RefreshTokenIn),
  },
  {
    additionalProperties: false,
    description: 'Without refreshToken, the refresh-token cookie is used (Origin checked)',
  },
)
export type RefreshInput = Static<typeof RefreshBody>

export const LogoutBody = Type.Object(
  { refreshToken: Type.Optional(RefreshToken) },
  {
    additionalProperties: false,
    description: 'The session to end: this refresh token, else the cookie, else the bearer token',
  },
)

export const SessionSchema = Type.Object(
  {
    id: Type.String({ description: 'ses_ prefixed id' }),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.String({ format: 'date-time', description: 'Sign-in or last refresh' }),
    expiresAt: Type.String({ format: 'date-time' }),
    current: Type.Boolean({ description: 'The session of the access token making this call' }),
  },
  { additionalProperties: false },
)
export type SessionView = Static<typeof SessionSchema>

export const SessionsQuery = Type.Object(PageQuery, { additionalProperties: false })

export const SessionsPage = Type.Object({
  data: Type.Array(SessionSchema),
  page: PageInfoSchema,
})
export type SessionsPageResult = Static<typeof SessionsPage>

export const SessionParams = Type.Object({ id: Type.String({ maxLength: 64 }) })

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
    newPassword: Type.String({
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
      description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
    }),
  },
  { additionalProperties: false },
)
export type ChangePasswordInput = Static<typeof ChangePasswordBody>
