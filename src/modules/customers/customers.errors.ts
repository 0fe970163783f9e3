import { AppError } from '../../platform/errors.js'

/** The customers module's coded errors; codes are part of the public API. */
export const CustomersErrors = {
  /** Also the answer for another customer's address: its existence is not revealed. */
  addressNotFound: (addressId: string) =>
    new AppError({
      kind: 'not_found',
      code: 'address_not_found',
      title: 'Address not found',
      detail: `No address ${addressId} in this account.`,
    }),
  addressLimitReached: (limit: number) =>
    new AppError({
      kind: 'conflict',
      code: 'address_limit_reached',
      title: 'Too many addresses',
      detail: `An account keeps at most ${limit} addresses; delete one first.`,
    }),
}
