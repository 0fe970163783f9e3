import { AppError } from '../../../platform/errors.js'

/** Coded errors of federated sign-in; codes are part of the public API. */
export const OidcErrors = {
  providerNotFound: (provider: string) =>
    new AppError({
      kind: 'not_found',
      code: 'oidc_provider_not_found',
      title: 'Unknown sign-in provider',
      detail: `No OpenID Connect provider "${provider}" is configured.`,
    }),
  /** Missing, unknown, expired or already used: a callback we did not start (or replayed). */
  stateInvalid: () =>
    new AppError({
      kind: 'validation',
      code: 'oidc_state_invalid',
      title: 'Invalid sign-in state',
      detail: 'This sign-in was not started here or has expired. Start again.',
      errors: [{ path: '/querystring/state', message: 'is not a pending sign-in' }],
    }),
  /** The provider refused, or its answer failed a check (code, PKCE, ID token, nonce). */
  loginFailed: () =>
    new AppError({
      kind: 'unauthenticated',
      code: 'oidc_login_failed',
      title: 'Sign-in failed',
      detail: 'The identity provider did not confirm this sign-in.',
    }),
  /** Linking or creating by email needs the provider to vouch for the address. */
  emailUnverified: () =>
    new AppError({
      kind: 'forbidden',
      code: 'oidc_email_unverified',
      title: 'Email not verified',
      detail:
        'The identity provider did not confirm this email address, so it cannot be linked to ' +
        'an account. Verify it with the provider, or sign in with your password.',
    }),
  providerUnavailable: (provider: string) =>
    new AppError({
      kind: 'unavailable',
      code: 'oidc_provider_unavailable',
      title: 'Sign-in provider unavailable',
      detail: `The provider "${provider}" could not be reached. Try again later.`,
    }),
}
