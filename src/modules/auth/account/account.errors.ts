import { AppError } from '../../../platform/errors.js'

/** Account lifecycle errors; codes are part of the public API. */
export const AccountErrors = {
  /** Unknown and already-used tokens answer alike: the reply never says which. */
  tokenInvalid: () =>
    new AppError({
      kind: 'validation',
      code: 'token_invalid',
      title: 'Invalid token',
      detail: 'The token is not valid or has already been used.',
      errors: [{ path: '/body/token', message: 'is not valid or has already been used' }],
    }),
  /** Distinct from invalid, so a client can offer to send a new link. */
  tokenExpired: () =>
    new AppError({
      kind: 'validation',
      code: 'token_expired',
      title: 'Token expired',
      detail: 'The token has expired; ask for a new one.',
      errors: [{ path: '/body/token', message: 'has expired' }],
    }),
  emailAlreadyVerified: () =>
    new AppError({
      kind: 'conflict',
      code: 'email_already_verified',
      title: 'Email already verified',
      detail: 'This account has already verified its email address.',
    }),
  notACustomer: () =>
    new AppError({
      kind: 'forbidden',
      code: 'not_a_customer',
      title: 'Not a customer account',
      detail: 'Staff accounts are deactivated by an administrator, not deleted by themselves.',
    }),
}
