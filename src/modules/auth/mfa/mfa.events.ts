import type { NewEvent } from '../../../platform/events/types.js'
import type { ClientInfo } from '../sessions/sessions.events.js'

/** Security events of the second factor, for the audit log and "was this you?" mails. */
export const MfaEvents = {
  MFA_ENABLED: 'auth.mfa_enabled',
  MFA_DISABLED: 'auth.mfa_disabled',
  RECOVERY_CODE_USED: 'auth.mfa_recovery_code_used',
} as const

export type MfaEventPayload = { userId: string; method: 'totp' } & ClientInfo
export type RecoveryCodeUsedPayload = { userId: string; remaining: number } & ClientInfo

type MfaEventType = (typeof MfaEvents)[keyof typeof MfaEvents]

export function mfaEvent<P extends { userId: string }>(
  type: MfaEventType,
  payload: P,
): NewEvent<P> {
  return { type, aggregateType: 'user', aggregateId: payload.userId, payload }
}
