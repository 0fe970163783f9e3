import type { Kysely, Selectable } from 'kysely'
import type { AuditEntryTable, AuditTables } from './audit.tables.js'

export type AuditDb = Kysely<AuditTables>
export type AuditRow = Selectable<AuditEntryTable>

export type NewAuditRow = Omit<AuditRow, 'occurred_at' | 'detail'> & { detail: string }

/** Inserts once: an entry recorded from a redelivered event keeps its id and is not doubled. */
export async function insertEntry(db: AuditDb, row: NewAuditRow): Promise<void> {
  await db
    .insertInto('audit.entry')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
}

export interface EntryFilter {
  actorId?: string | undefined
  action?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
  /** The id of the last entry of the previous page. */
  beforeId?: string | undefined
}

const ENTRY_COLUMNS = [
  'id',
  'occurred_at',
  'action',
  'actor_type',
  'actor_id',
  'subject_id',
  'ip',
  'user_agent',
  'detail',
] as const

/** Newest first, by id (ids are time-ordered and unique, so the cursor is exact). */
export async function listEntries(
  db: AuditDb,
  filter: EntryFilter,
  limit: number,
): Promise<AuditRow[]> {
  let query = db.selectFrom('audit.entry').select(ENTRY_COLUMNS)
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId)
  if (filter.action) query = query.where('action', '=', filter.action)
  if (filter.from) query = query.where('occurred_at', '>=', filter.from)
  if (filter.to) query = query.where('occurred_at', '<', filter.to)
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId)
  return query.orderBy('id', 'desc').limit(limit).execute()
}
