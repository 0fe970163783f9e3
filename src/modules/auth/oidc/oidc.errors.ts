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
  /**
   * The email belongs to an account whose address was never verified: whoever registered it may
   * not own the mailbox, so the provider account is not linked to it automatically.
   */
  accountExistsUnverified: () =>
    new AppError({
      kind: 'conflict',
      code: 'account_exists_unverified',
      title: 'Account exists',
      detail:
        'An account with this email exists but its address is not verified. Sign in with its ' +
        'password (or reset the password), then link this provider from the account.',
    }),
  /** Staff and admin accounts are linked only by their signed-in owner, never automatically. */
  accountLinkRequired: () =>
    new AppError({
      kind: 'conflict',
      code: 'account_link_required',
      title: 'Link from the account',
      detail:
        'This provider account is not linked to the staff account with this email. Sign in ' +
        'with the password and second factor, then link it with POST /v1/me/identities/{provider}.',
    }),
  identityLinkedElsewhere: () =>
    new AppError({
      kind: 'conflict',
      code: 'identity_linked_elsewhere',
      title: 'Provider account already linked',
      detail: 'This provider account signs in to another account; unlink it there first.',
    }),
  /** The session that started a link was signed out (or expired) before the provider answered. */
  linkSessionEnded: () =>
    new AppError({
      kind: 'unauthenticated',
      code: 'oidc_link_session_ended',
      title: 'Session ended',
      detail: 'The session that started this link has ended. Sign in and start again.',
    }),
  identityNotFound: (provider: string) =>
    new AppError({
      kind: 'not_found',
      code: 'identity_not_found',
      title: 'Not linked',
      detail: `No account at "${provider}" is linked to this account.`,
    }),
  providerUnavailable: (provider: string) =>
    new AppError({
      kind: 'unavailable',
      code: 'oidc_provider_unavailable',
      title: 'Sign-in provider unavailable',
      detail: `The provider "${provider}" could not be reached. Try again later.`,
    }),
}
