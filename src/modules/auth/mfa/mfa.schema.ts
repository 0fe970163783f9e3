import { Type, type Static } from '@sinclair/typebox'
import { LoginReply } from '../core/auth.schema.js'
import { RefreshTokenIn } from '../sessions/sessions.schema.js'

export const MFA_TOKEN_PATTERN = '^mfa_[A-Za-z0-9_-]{43}$'

const Code = Type.String({
  minLength: 6,
  maxLength: 40,
  description: 'A 6-digit code from the authenticator app, or (sign-in only) a recovery code',
})

export const MfaChallengeReply = Type.Object(
  {
    mfaRequired: Type.Literal(true),
    mfaToken: Type.String({
      description: 'Single use, valid 5 minutes: send it with a code to /v1/auth/mfa/verify',
    }),
  },
  { additionalProperties: false },
)

/** A sign-in's answer: tokens, or a challenge when the account has a second factor. */
export const SignInReply = Type.Union([LoginReply, MfaChallengeReply])

export const TotpEnrolmentReply = Type.Object({
  secret: Type.String({ description: 'Base32 secret, for apps that cannot scan the URL' }),
  otpauthUrl: Type.String({ description: 'otpauth:// URL, usually shown as a QR code' }),
})

export const TotpCodeBody = Type.Object(
  { code: Type.String({ pattern: '^\\d{6}$', description: 'A current 6-digit code' }) },
  { additionalProperties: false },
)
export type TotpCodeInput = Static<typeof TotpCodeBody>

export const TotpDisableBody = Type.Object(
  {
    code: Type.String({ pattern: '^\\d{6}$', description: 'A current 6-digit code' }),
    password: Type.String({ minLength: 1, maxLength: 1024, description: 'The account password' }),
  },
  { additionalProperties: false },
)

export const RecoveryCodesReply = Type.Object({
  recoveryCodes: Type.Array(Type.String(), {
    description: 'Shown once: each signs in once in place of a TOTP code',
  }),
})

export const MfaVerifyBody = Type.Object(
  {
    mfaToken: Type.String({ pattern: MFA_TOKEN_PATTERN }),
    code: Code,
    refreshTokenIn: Type.Optional(RefreshTokenIn),
  },
  { additionalProperties: false },
)
export type MfaVerifyInput = Static<typeof MfaVerifyBody>

export const MfaStatusReply = Type.Object({
  totp: Type.Union([Type.Literal('disabled'), Type.Literal('pending'), Type.Literal('enabled')]),
  recoveryCodesLeft: Type.Integer({ minimum: 0 }),
})
export type MfaStatus = Static<typeof MfaStatusReply>
