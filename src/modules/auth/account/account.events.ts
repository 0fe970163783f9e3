import type { NewEvent } from '../../../platform/events/types.js'

/**
 * Account lifecycle events. They carry the user id only: the mail subscribers read the current
 * address when they send, and no token or address sits in the outbox.
 */
export const AccountEvents = {
  EMAIL_VERIFICATION_REQUESTED: 'auth.email_verification_requested',
  EMAIL_VERIFIED: 'auth.email_verified',
  PASSWORD_RESET_REQUESTED: 'auth.password_reset_requested',
  PASSWORD_RESET: 'auth.password_reset',
  CUSTOMER_UPDATED: 'customer.updated',
  /** The account was anonymised; modules holding personal data for it delete theirs. */
  CUSTOMER_DELETED: 'customer.deleted',
} as const

export type AccountEventType = (typeof AccountEvents)[keyof typeof AccountEvents]

export type AccountEventPayload = { userId: string }

export function accountEvent(
  type: AccountEventType,
  userId: string,
): NewEvent<AccountEventPayload> {
  return { type, aggregateType: 'user', aggregateId: userId, payload: { userId } }
}
