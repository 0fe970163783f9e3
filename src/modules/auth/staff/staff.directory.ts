import type { Kysely } from 'kysely'
import type { AuthTables } from '../core/auth.tables.js'
import type { Role } from '../core/permissions.js'

/** Who to tell about operational matters (disabled webhooks, low stock): other modules ask here. */
export interface StaffDirectory {
  /** Email addresses of the active accounts with one of these roles. */
  emailsOf(roles: Exclude<Role, 'customer'>[]): Promise<string[]>
}

export function createStaffDirectory(db: Kysely<AuthTables>): StaffDirectory {
  return {
    async emailsOf(roles) {
      if (roles.length === 0) return []
      const rows = await db
        .selectFrom('auth.user')
        .select('email')
        .where('role', 'in', roles)
        .where('status', '=', 'active')
        .orderBy('email')
        .execute()
      return rows.map((r) => r.email)
    },
  }
}
