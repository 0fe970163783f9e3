import type { Kysely } from 'kysely'
import { containsPattern } from '../../../platform/db/like.js'
import { cursorId, toPage, type Page } from '../../../platform/pagination.js'
import { DELETED_PASSWORD_HASH } from '../account/account.repo.js'
import type { AuthTables } from '../core/auth.tables.js'
import type { CustomerListInput, CustomerSummary } from './customers.schema.js'

const COLUMNS = [
  'id',
  'email',
  'name',
  'status',
  'email_verified_at',
  'created_at',
  'updated_at',
] as const

/** Customer accounts for staff (`GET /v1/admin/customers`): newest first, searchable. */
export interface CustomerDirectory {
  list(query: CustomerListInput): Promise<Page<CustomerSummary>>
}

export function createCustomerDirectory(db: Kysely<AuthTables>): CustomerDirectory {
  return {
    async list(input) {
      const limit = input.limit ?? 20
      // Deleted accounts are anonymised: nothing of the customer is left to list.
      let query = db
        .selectFrom('auth.user')
        .select(COLUMNS)
        .where('role', '=', 'customer')
        .where('password_hash', '!=', DELETED_PASSWORD_HASH)
      const q = input.q?.trim()
      if (q) {
        const like = containsPattern(q)
        query = query.where((eb) => eb.or([eb('email', 'ilike', like), eb('name', 'ilike', like)]))
      }
      // Ids are time-ordered (newId), so the id alone is the newest-first keyset.
      const before = cursorId(input.cursor)
      if (before) query = query.where('id', '<', before)
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute()
      return toPage(
        rows,
        limit,
        (r) => ({
          id: r.id,
          email: r.email,
          name: r.name,
          emailVerified: r.email_verified_at !== null,
          status: r.status,
          createdAt: r.created_at.toISOString(),
          updatedAt: r.updated_at.toISOString(),
        }),
        (r) => [r.id],
      )
    },
  }
}
