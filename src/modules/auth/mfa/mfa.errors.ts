import { AppError } from '../../../platform/errors.js'

/** Coded errors of the second factor; codes are part of the public API. */
export const MfaErrors = {
  /**
   * A wrong, expired or replayed code. Signed in (enrol, disable) it is a 403 so clients keep
   * their session; at sign-in it is a 401.
   */
  codeInvalid: (signedIn: boolean) =>
    new AppError({
      kind: signedIn ? 'forbidden' : 'unauthenticated',
      code: 'mfa_code_invalid',
      title: 'Invalid code',
      detail: 'The code is not valid, has expired or was already used.',
      errors: [{ path: '/body/code', message: 'is not valid' }],
    }),
  /** Unknown, expired, spent or out of attempts: the reply never says which. */
  tokenInvalid: () =>
    new AppError({
      kind: 'unauthenticated',
      code: 'mfa_token_invalid',
      title: 'Unauthenticated',
      detail: 'The MFA token is invalid or has expired. Sign in again.',
    }),
  alreadyEnabled: () =>
    new AppError({
      kind: 'conflict',
      code: 'mfa_already_enabled',
      title: 'Two-factor already enabled',
      detail: 'An authenticator is already confirmed; disable it before enrolling another.',
    }),
  notPending: () =>
    new AppError({
      kind: 'conflict',
      code: 'mfa_enrolment_not_started',
      title: 'No enrolment in progress',
      detail: 'Start with POST /v1/auth/mfa/totp, then confirm with a code from the app.',
    }),
  notEnabled: () =>
    new AppError({
      kind: 'conflict',
      code: 'mfa_not_enabled',
      title: 'Two-factor not enabled',
      detail: 'This account has no confirmed authenticator.',
    }),
  /** API keys act for a system, not a person: they cannot hold a second factor. */
  userOnly: () =>
    new AppError({
      kind: 'forbidden',
      code: 'mfa_user_only',
      title: 'Forbidden',
      detail: 'Two-factor settings need a user access token, not an API key.',
    }),
}
