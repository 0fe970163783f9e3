import type { Transaction } from 'kysely'
import type { Logger } from 'pino'
import { randomToken, sha256 } from '../../../platform/crypto.js'
import type { UnitOfWork } from '../../../platform/db/unit-of-work.js'
import { AppError } from '../../../platform/errors.js'
import { cursorId, toPage, type Page } from '../../../platform/pagination.js'
import type { AuditService } from '../../audit/index.js'
import { accountEvent, AccountEvents } from '../account/account.events.js'
import { insertAccountToken, type AccountDb } from '../account/account.repo.js'
import type { ActorContext } from '../api-keys/api-keys.service.js'
import { AuthErrors } from '../core/auth.errors.js'
import { insertNewUser } from '../core/auth.service.js'
import { toPublicUser } from '../core/auth.mappers.js'
import { hashPassword } from '../core/passwords.js'
import { permissionsFor, type Role } from '../core/permissions.js'
import type { SessionService } from '../sessions/sessions.service.js'
import type {
  InviteStaffInput,
  StaffListInput,
  StaffMember,
  UpdateStaffInput,
} from './staff.schema.js'
import { listStaff, lockUser, updateRoleAndStatus, type StaffRow } from './staff.repo.js'

const INVITE_TTL_SECONDS = 7 * 24 * 3600

export const StaffErrors = {
  cannotChangeSelf: () =>
    new AppError({
      kind: 'conflict',
      code: 'cannot_change_self',
      title: 'Cannot change your own access',
      detail: 'Ask another administrator to change your role or status.',
    }),
  /** Making or changing an admin, or promoting a customer, is done by a person, not a key. */
  interactiveAdminRequired: () =>
    new AppError({
      kind: 'forbidden',
      code: 'interactive_admin_required',
      title: 'Needs an administrator',
      detail:
        'An API key manages existing staff members only: making or changing an administrator ' +
        'and promoting a customer need an administrator signed in.',
    }),
  roleExceedsScopes: (role: string) =>
    new AppError({
      kind: 'forbidden',
      code: 'role_exceeds_key_scopes',
      title: 'Role exceeds the key',
      detail: `The role ${role} holds permissions this API key does not: a key never grants more than its own scopes.`,
    }),
}

/**
 * An API key never grants more than its own scopes: it may give the staff role only when it
 * holds every staff permission itself, and it touches neither admins nor customers (making an
 * admin or promoting a customer is an administrator's signed-in act, MFA-verified when
 * REQUIRE_STAFF_MFA is on).
 */
function assertKeyMayAssign({ principal }: ActorContext, from: Role, to: Role): void {
  if (principal.via !== 'api_key') return
  if (from !== 'staff' || to === 'admin') throw StaffErrors.interactiveAdminRequired()
  for (const permission of permissionsFor(to)) {
    if (!principal.permissions.has(permission)) throw StaffErrors.roleExceedsScopes(to)
  }
}

export interface StaffService {
  /** Creates the account with no usable password and a 7-day token to set one. */
  invite(
    input: InviteStaffInput,
    actor: ActorContext,
  ): Promise<{ user: StaffMember; token: string }>
  update(id: string, change: UpdateStaffInput, actor: ActorContext): Promise<StaffMember>
  list(query: StaffListInput): Promise<Page<StaffMember>>
}

function toMember(row: StaffRow): StaffMember {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.status,
    emailVerified: row.email_verified_at !== null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

const actorOf = ({ principal }: ActorContext) => ({
  type: principal.via === 'api_key' ? ('api_key' as const) : ('user' as const),
  id: principal.subject,
})

export function createStaffService(deps: {
  db: AccountDb
  uow: UnitOfWork
  audit: AuditService
  sessions: SessionService
  logger: Logger
}): StaffService {
  const { db, uow, audit, sessions, logger } = deps
  const accountTrx = (trx: Transaction<unknown>) => trx as unknown as AccountDb

  return {
    async invite(input, actor) {
      // An invitation is a new account: for a key, the same as promoting a staff member.
      assertKeyMayAssign(actor, 'staff', input.role)
      // Nobody knows this password: the invitee sets their own with the token.
      const passwordHash = await hashPassword(randomToken())
      const token = randomToken()
      const user = await uow.run(async (trx, emit) => {
        const created = await insertNewUser(trx, emit, { ...input, passwordHash })
        if (!created) throw AuthErrors.emailTaken()
        await insertAccountToken(accountTrx(trx), {
          tokenHash: sha256(token),
          userId: created.id,
          purpose: 'password_reset',
          ttlSeconds: INVITE_TTL_SECONDS,
        })
        // The mail subscriber sends a set-your-password link (a reset mail) to the invitee.
        emit(accountEvent(AccountEvents.PASSWORD_RESET_REQUESTED, created.id))
        const detail = { role: created.role, email: created.email }
        await audit.record(trx, {
          action: 'staff.invited',
          actor: actorOf(actor),
          client: actor.client,
          subjectId: created.id,
          detail,
        })
        return created
      })
      logger.info(
        { userId: user.id, role: user.role, by: actor.principal.subject },
        'staff invited',
      )
      return { user: { ...toPublicUser(user), status: user.status }, token }
    },

    async update(id, change, actor) {
      if (id === actor.principal.subject) throw StaffErrors.cannotChangeSelf()
      const updated = await uow.run(async (trx) => {
        const current = await lockUser(accountTrx(trx), id)
        if (!current) throw AuthErrors.userNotFound(id)
        const next = { role: change.role ?? current.role, status: change.status ?? current.status }
        assertKeyMayAssign(actor, current.role, next.role)
        const row = await updateRoleAndStatus(accountTrx(trx), id, next)
        const base = { actor: actorOf(actor), client: actor.client, subjectId: id }
        if (next.role !== current.role) {
          const detail = { from: current.role, to: next.role }
          await audit.record(trx, { ...base, action: 'staff.role_changed', detail })
        }
        if (next.status !== current.status) {
          const detail = { from: current.status, to: next.status }
          await audit.record(trx, { ...base, action: 'staff.status_changed', detail })
        }
        return row
      })
      // Access tokens already check the account on every request; this ends refresh too.
      if (updated.status === 'disabled') await sessions.revokeAllSessions(id)
      logger.info({ userId: id, ...change, by: actor.principal.subject }, 'staff member updated')
      return toMember(updated)
    },

    async list(query) {
      const limit = query.limit ?? 20
      const rows = await listStaff(db, cursorId(query.cursor), limit + 1)
      return toPage(rows, limit, toMember, (r) => [r.id])
    },
  }
}
