import type { Kysely } from 'kysely'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime } from '../../platform/module.js'
import type { DomainEvent } from '../../platform/events/types.js'
import type { PlatformDeps } from '../../platform/module.js'
import { auditRoutes } from './audit.routes.js'
import type { AuditAction } from './audit.schema.js'
import { createAuditService, type AuditService } from './audit.service.js'
import type { AuditTables } from './audit.tables.js'
import * as createAuditLog from './migrations/2026_11_21_0720_create_audit_log.js'

export const auditMigrations: MigrationSet = {
  '2026_11_21_0720_create_audit_log': createAuditLog,
}

export interface AuditModule {
  runtime: ModuleRuntime
  service: AuditService
}

/** Security events that other modules emit instead of writing the log themselves. */
const FROM_EVENTS: AuditAction[] = ['auth.refresh_reuse_detected', 'auth.password_changed']

function recordFrom(service: AuditService, db: Kysely<AuditTables>, action: AuditAction) {
  return async (event: DomainEvent) => {
    const payload = event.payload as {
      userId?: string
      ip?: string | null
      userAgent?: string | null
    }
    const { ip = null, userAgent = null, ...detail } = payload
    await service.record(db as unknown as Kysely<unknown>, {
      id: `aud_${event.id.replace(/^evt_/, '')}`,
      action,
      actor: { type: 'user', id: payload.userId ?? null },
      client: { ip, userAgent },
      subjectId: payload.userId ?? null,
      detail,
    })
  }
}

export function createAuditModule(deps: PlatformDeps): AuditModule {
  const db = deps.database.db as Kysely<AuditTables>
  const service = createAuditService({ db, logger: deps.logger.child({ module: 'audit' }) })
  const subscriptions = FROM_EVENTS.map((action) => ({
    type: action,
    consumer: 'audit.log',
    handler: recordFrom(service, db, action),
  }))
  return { runtime: { name: 'audit', routes: auditRoutes(service), subscriptions }, service }
}

export type { AuditActor, AuditClient, AuditEntryInput, AuditService } from './audit.service.js'
export { AUDIT_ACTIONS, type AuditAction, type AuditEntryDto } from './audit.schema.js'
