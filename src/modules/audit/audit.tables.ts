import type { ColumnType } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, never>
/** jsonb: written as JSON text, read back parsed by the driver. */
type Json<T> = ColumnType<T, string | undefined, never>
/** Columns that can be written once and never updated (a trigger refuses it as well). */
type Once<T> = ColumnType<T, T, never>

export type ActorType = 'user' | 'api_key' | 'system' | 'anonymous'

export interface AuditEntryTable {
  id: Once<string>
  occurred_at: Timestamp
  action: Once<string>
  actor_type: Once<ActorType>
  actor_id: Once<string | null>
  subject_id: Once<string | null>
  ip: Once<string | null>
  user_agent: Once<string | null>
  detail: Json<Record<string, unknown>>
}

/** The audit module's tables, and only those. */
export interface AuditTables {
  'audit.entry': AuditEntryTable
}
