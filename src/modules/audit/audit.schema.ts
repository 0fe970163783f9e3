import { Type, type Static } from '@sinclair/typebox'
import { PageOf, PageQuery } from '../../platform/http/schemas.js'

/**
 * What the log records. Extension point: a module that audits something new adds its action here
 * (stable names: clients filter on them).
 */
export const AUDIT_ACTIONS = [
  'auth.login_succeeded',
  'auth.login_failed',
  'auth.account_locked',
  'auth.refresh_reuse_detected',
  'auth.mfa_enabled',
  'auth.mfa_disabled',
  'auth.password_changed',
  'staff.invited',
  'staff.role_changed',
  'staff.status_changed',
  'api_key.created',
  'api_key.revoked',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export const AuditEntrySchema = Type.Object(
  {
    id: Type.String({ description: 'aud_ prefixed id; ids sort by time' }),
    occurredAt: Type.String({ format: 'date-time' }),
    action: Type.String({ description: `One of: ${AUDIT_ACTIONS.join(', ')}` }),
    actor: Type.Object({
      type: Type.Union([
        Type.Literal('user'),
        Type.Literal('api_key'),
        Type.Literal('system'),
        Type.Literal('anonymous'),
      ]),
      id: Type.Union([Type.String(), Type.Null()]),
    }),
    subjectId: Type.Union([Type.String(), Type.Null()], {
      description: 'What the action was about (a user, an API key), when not the actor',
    }),
    ip: Type.Union([Type.String(), Type.Null()]),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    detail: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
)
export type AuditEntryDto = Static<typeof AuditEntrySchema>

export const AuditQuery = Type.Object(
  {
    ...PageQuery,
    actor: Type.Optional(Type.String({ maxLength: 64, description: 'Actor id (usr_…, key_…)' })),
    action: Type.Optional(Type.Union(AUDIT_ACTIONS.map((a) => Type.Literal(a)))),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive' })),
  },
  { additionalProperties: false },
)
export type AuditFilters = Static<typeof AuditQuery>

export const AuditPage = PageOf(AuditEntrySchema)
