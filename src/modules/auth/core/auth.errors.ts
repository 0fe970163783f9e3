import { AppError, isAppError } from '../../../platform/errors.js'

/** The auth module's coded errors; codes are part of the public API. */
export const AuthErrors = {
  emailTaken: () =>
    new AppError({
      kind: 'conflict',
      code: 'email_taken',
      title: 'Email already registered',
      detail: 'An account with this email address already exists.',
    }),
  invalidEmail: () =>
    new AppError({
      kind: 'validation',
      code: 'validation_failed',
      title: 'Invalid request',
      detail: 'The email is not an email address.',
      errors: [{ path: '/email', message: 'must be an email address' }],
    }),
  /** The same error for an unknown email and a wrong password: no account enumeration. */
  invalidCredentials: () =>
    new AppError({
      kind: 'unauthenticated',
      code: 'invalid_credentials',
      title: 'Invalid credentials',
      detail: 'The email address or the password is not correct.',
    }),
  /** Generic on purpose: it never says what was wrong with the token, nor echoes it. */
  invalidToken: () =>
    new AppError({
      kind: 'unauthenticated',
      code: 'invalid_token',
      title: 'Unauthenticated',
      detail: 'The access token is invalid or has expired.',
    }),
  /** REQUIRE_STAFF_MFA: a staff or admin account must turn TOTP on before it may act. */
  mfaRequired: () =>
    new AppError({
      kind: 'forbidden',
      code: 'mfa_required',
      title: 'Two-factor authentication required',
      detail:
        'Staff and administrator accounts must turn on two-factor authentication first: ' +
        'POST /v1/auth/mfa/totp, then confirm it with a code.',
    }),
  accountDisabled: () =>
    new AppError({
      kind: 'forbidden',
      code: 'account_disabled',
      title: 'Account disabled',
      detail: 'This account has been disabled.',
    }),
  userNotFound: (userId: string) =>
    new AppError({
      kind: 'not_found',
      code: 'user_not_found',
      title: 'User not found',
      detail: `No user ${userId}.`,
    }),
  weakPassword: (message: string) =>
    new AppError({
      kind: 'validation',
      code: 'validation_failed',
      title: 'Invalid request',
      detail: 'The password does not meet the password policy.',
      errors: [{ path: '/password', message }],
    }),
  /** One answer for unknown, expired, spent and revoked: the reply never tells which. */
  invalidRefreshToken: () =>
    new AppError({
      kind: 'unauthenticated',
      code: 'invalid_refresh_token',
      title: 'Unauthenticated',
      detail: 'The refresh token is invalid or has expired. Sign in again.',
    }),
  noSession: () =>
    new AppError({
      kind: 'unauthenticated',
      code: 'unauthenticated',
      title: 'Unauthenticated',
      detail: 'Send a refresh token (body or cookie) or a bearer access token.',
    }),
  sessionNotFound: (sessionId: string) =>
    new AppError({
      kind: 'not_found',
      code: 'session_not_found',
      title: 'Session not found',
      detail: `No live session ${sessionId} on this account.`,
    }),
  /**
   * A signed-in user confirming a sensitive action with the wrong password (`field`: the body
   * field that held it); 403 so clients keep the session.
   */
  passwordIncorrect: (field: 'currentPassword' | 'password') =>
    new AppError({
      kind: 'forbidden',
      code: 'password_incorrect',
      title: 'Password incorrect',
      detail: 'The current password is not correct.',
      errors: [{ path: `/body/${field}`, message: 'is not correct' }],
    }),
  /** A cookie-authenticated request from an origin we do not serve (CSRF). */
  foreignOrigin: () =>
    new AppError({
      kind: 'forbidden',
      code: 'csrf_origin_rejected',
      title: 'Forbidden',
      detail: 'Requests authenticated by cookie must come from an allowed Origin.',
    }),
}

/** The user is gone (deleted or never existed): a caller may treat it as no recipient. */
export const isUserNotFound = (err: unknown): boolean =>
  isAppError(err) && err.code === 'user_not_found'
