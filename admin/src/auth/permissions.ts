// Type only: the names are checked against the API's table at compile time, nothing is bundled.
import type { Permission } from '../../../src/modules/auth/core/permissions'
import type { User } from './session'

export type { Permission }

/**
 * What the signed-in user may do, as `GET /v1/me` reported it (read again on every session
 * refresh, so a role change shows after the next one). The API still checks every call: hiding an
 * action is a courtesy, not the control.
 */
export function can(user: User | undefined, permission: Permission): boolean {
  if (!user) return false
  return user.permissions.includes(permission)
}
