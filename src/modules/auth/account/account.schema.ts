import { Type, type Static } from '@sinclair/typebox'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../core/passwords.js'
import { ACCOUNT_TOKEN_PATTERN } from './verification.service.js'

const Token = Type.String({
  pattern: ACCOUNT_TOKEN_PATTERN,
  description: 'The code from the email (43 characters, base64url)',
})

export const VerifyEmailBody = Type.Object({ token: Token }, { additionalProperties: false })
export type VerifyEmailInput = Static<typeof VerifyEmailBody>

export const ForgotPasswordBody = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' }) },
  { additionalProperties: false },
)
export type ForgotPasswordInput = Static<typeof ForgotPasswordBody>

export const ResetPasswordBody = Type.Object(
  {
    token: Token,
    newPassword: Type.String({
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
      description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, not a common password`,
    }),
  },
  { additionalProperties: false },
)
export type ResetPasswordInput = Static<typeof ResetPasswordBody>

/** The same body whatever happened, so the reply tells nothing about the account. */
export const AcceptedReply = Type.Object({ message: Type.String() })

export const UpdateMeBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }) },
  { additionalProperties: false },
)
export type UpdateMeInput = Static<typeof UpdateMeBody>

export const DeleteMeBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }) },
  { additionalProperties: false },
)
export type DeleteMeInput = Static<typeof DeleteMeBody>
