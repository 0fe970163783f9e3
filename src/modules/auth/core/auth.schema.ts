import { Type, type Static } from '@sinclair/typebox'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js'
import { RefreshTokenIn } from '../sessions/sessions.schema.js'

// Patterns, not `format`, so validation does not depend on which ajv formats are loaded. Login
// accepts any address the ADMIN_EMAIL setting accepts (admin@localhost); registration wants a dot.
export const LOGIN_EMAIL = '^[^\\s@]+@[^\\s@]+$'
const REGISTER_EMAIL = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$'

const Password = Type.String({
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
  description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
})

export const RoleSchema = Type.Union([
  Type.Literal('customer'),
  Type.Literal('staff'),
  Type.Literal('admin'),
])

export const PublicUserSchema = Type.Object(
  {
    id: Type.String({ description: 'usr_ prefixed id' }),
    email: Type.String({ description: 'Lower-cased' }),
    name: Type.String(),
    role: RoleSchema,
    emailVerified: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
)
export type PublicUser = Static<typeof PublicUserSchema>

/** `GET /v1/me`: the user and what the caller's credential may do (the role's permissions). */
export const MeSchema = Type.Object(
  {
    ...PublicUserSchema.properties,
    permissions: Type.Array(Type.String(), {
      description:
        'What admin routes allow this caller: the permissions of the role as it is now (none for a customer)',
    }),
  },
  { additionalProperties: false },
)

export const RegisterBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, pattern: REGISTER_EMAIL }),
    password: Password,
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  },
  { additionalProperties: false },
)
export type RegisterInput = Static<typeof RegisterBody>

export const RegisterReply = Type.Object({ user: PublicUserSchema })

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, pattern: LOGIN_EMAIL }),
    // No policy minimum here: accounts made under an older, looser policy must still sign in.
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
    refreshTokenIn: Type.Optional(RefreshTokenIn),
  },
  { additionalProperties: false },
)
export type LoginInput = Static<typeof LoginBody>

export const LoginReply = Type.Object({
  accessToken: Type.String({ description: 'EdDSA JWT; send as "Authorization: Bearer <token>"' }),
  refreshToken: Type.Optional(
    Type.String({ description: 'Single-use; absent when refreshTokenIn is "cookie"' }),
  ),
  expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
  user: PublicUserSchema,
})
export type LoginResult = Static<typeof LoginReply>

export const JwksReply = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.String(),
      crv: Type.String(),
      x: Type.String(),
      kid: Type.String(),
      alg: Type.String(),
      use: Type.String(),
    }),
  ),
})
