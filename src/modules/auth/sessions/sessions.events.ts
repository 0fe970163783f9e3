import type { NewEvent } from '../../../platform/events/types.js'
import type { ClientInfo } from '../../../platform/http/client.js'

/** Security events of sessions, for the audit log and "was this you?" mails. No secrets inside. */
export const SessionEvents = {
  REFRESH_REUSE_DETECTED: 'auth.refresh_reuse_detected',
  PASSWORD_CHANGED: 'auth.password_changed',
} as const

export type { ClientInfo }

export type RefreshReuseDetectedPayload = { userId: string; sessionId: string } & ClientInfo

export type PasswordChangedPayload = {
  userId: string
  /** The session that made the change; every other one was revoked. */
  sessionId: string | null
  revokedSessions: number
} & ClientInfo

export function refreshReuseDetected(
  payload: RefreshReuseDetectedPayload,
): NewEvent<RefreshReuseDetectedPayload> {
  return {
    type: SessionEvents.REFRESH_REUSE_DETECTED,
    aggregateType: 'user',
    aggregateId: payload.userId,
    payload,
  }
}

export function passwordChanged(payload: PasswordChangedPayload): NewEvent<PasswordChangedPayload> {
  return {
    type: SessionEvents.PASSWORD_CHANGED,
    aggregateType: 'user',
    aggregateId: payload.userId,
    payload,
  }
}
