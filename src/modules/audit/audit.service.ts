import type { Kysely, Transaction } from 'kysely'
import type { Logger } from 'pino'
import { CommonErrors } from '../../platform/errors.js'
import { newId } from '../../shared/ids.js'
import { cursorId, toPage, type Page } from '../../platform/pagination.js'
import { insertEntry, listEntries, type AuditDb, type AuditRow } from './audit.repo.js'
import type { AuditAction, AuditEntryDto, AuditFilters } from './audit.schema.js'
import type { ActorType } from './audit.tables.js'

/** Who did it and from where; `ip`/`userAgent` come from the request (null for jobs). */
export interface AuditActor {
  type: ActorType
  id: string | null
}

export interface AuditClient {
  ip: string | null
  userAgent: string | null
}

export interface AuditEntryInput {
  /** Given when the entry comes from an event, so a redelivery records nothing twice. */
  id?: string | undefined
  action: AuditAction
  actor: AuditActor
  client?: AuditClient | undefined
  subjectId?: string | null | undefined
  /** Public facts only; keys that look like secrets are dropped anyway. */
  detail?: Record<string, unknown> | undefined
}

/** The audit module's API. */
export interface AuditService {
  /**
   * Appends one entry. Pass the transaction that makes the change, so the entry commits (or
   * rolls back) with it; pass the module's `db` only when there is no transaction.
   */
  record(db: Kysely<unknown> | Transaction<unknown>, entry: AuditEntryInput): Promise<void>
  list(filters: AuditFilters): Promise<Page<AuditEntryDto>>
}

// Defence in depth: a caller that passes a whole object must not leak its secrets into the log.
const SECRET_KEY = /pass(word)?|secret|token|hash|^key$|credential|otp|code/i
const MAX_USER_AGENT = 512

function publicDetail(detail: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(Object.entries(detail).filter(([key]) => !SECRET_KEY.test(key)))
}

function toDto(row: AuditRow): AuditEntryDto {
  return {
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    action: row.action,
    actor: { type: row.actor_type, id: row.actor_id },
    subjectId: row.subject_id,
    ip: row.ip,
    userAgent: row.user_agent,
    detail: row.detail,
  }
}

function date(value: string | undefined, path: string): Date | undefined {
  if (value === undefined) return undefined
  const parsed = new Date(value)
  if (Number.isNaN(parsed.getTime())) {
    throw CommonErrors.validation([{ path, message: 'must be an RFC 3339 date-time' }])
  }
  return parsed
}

export function createAuditService(deps: { db: AuditDb; logger: Logger }): AuditService {
  const { db } = deps
  return {
    async record(target, entry) {
      await insertEntry(target as unknown as AuditDb, {
        id: entry.id ?? newId('aud'),
        action: entry.action,
        actor_type: entry.actor.type,
        actor_id: entry.actor.id,
        subject_id: entry.subjectId ?? null,
        ip: entry.client?.ip ?? null,
        user_agent: entry.client?.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
        detail: JSON.stringify(publicDetail(entry.detail)),
      })
    },

    async list(filters) {
      const limit = filters.limit ?? 20
      const rows = await listEntries(
        db,
        {
          actorId: filters.actor,
          action: filters.action,
          from: date(filters.from, '/query/from'),
          to: date(filters.to, '/query/to'),
          beforeId: cursorId(filters.cursor),
        },
        limit + 1,
      )
      return toPage(rows, limit, toDto, (row) => [row.id])
    },
  }
}
