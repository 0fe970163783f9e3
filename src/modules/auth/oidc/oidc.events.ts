import type { NewEvent } from '../../../platform/events/types.js'

export const OidcEvents = {
  IDENTITY_LINKED: 'auth.identity_linked',
} as const

/** A provider account now signs in to this user (new account or matched by verified email). */
export type IdentityLinkedPayload = {
  userId: string
  provider: string
  /** Whether the link created the account. */
  created: boolean
}

export function identityLinked(payload: IdentityLinkedPayload): NewEvent<IdentityLinkedPayload> {
  return {
    type: OidcEvents.IDENTITY_LINKED,
    aggregateType: 'user',
    aggregateId: payload.userId,
    payload,
  }
}
