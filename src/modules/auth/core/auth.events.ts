import type { NewEvent } from '../../../platform/events/types.js'

/** Event types the auth module emits through the outbox. */
export const AuthEvents = {
  CUSTOMER_CREATED: 'customer.created',
} as const

/** Carries no secret: subscribers (welcome mail, webhooks, CRM) get only what they may show. */
export type CustomerCreatedPayload = {
  userId: string
  email: string
  name: string
}

export function customerCreated(user: CustomerCreatedPayload): NewEvent<CustomerCreatedPayload> {
  return {
    type: AuthEvents.CUSTOMER_CREATED,
    aggregateType: 'user',
    aggregateId: user.userId,
    payload: { userId: user.userId, email: user.email, name: user.name },
  }
}
