import { sql } from 'kysely'
import type { AccountDb } from '../account/account.repo.js'
import { USER_COLUMNS, type UserRow } from '../core/auth.repo.js'
import type { Role } from '../core/permissions.js'

export type StaffRow = UserRow

const COLUMNS = USER_COLUMNS

/** Locks the user row for the change (role and status updates are read-modify-write). */
export async function lockUser(trx: AccountDb, id: string): Promise<StaffRow | undefined> {
  return trx
    .selectFrom('auth.user')
    .select(COLUMNS)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export async function updateRoleAndStatus(
  trx: AccountDb,
  id: string,
  change: { role: Role; status: 'active' | 'disabled' },
): Promise<StaffRow> {
  return trx
    .updateTable('auth.user')
    .set({ role: change.role, status: change.status, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function listStaff(
  db: AccountDb,
  afterId: string | undefined,
  limit: number,
): Promise<StaffRow[]> {
  let query = db.selectFrom('auth.user').select(COLUMNS).where('role', 'in', ['staff', 'admin'])
  if (afterId) query = query.where('id', '>', afterId)
  return query.orderBy('id', 'asc').limit(limit).execute()
}

export async function findUserByEmail(db: AccountDb, email: string): Promise<StaffRow | undefined> {
  return db.selectFrom('auth.user').select(COLUMNS).where('email', '=', email).executeTakeFirst()
}
