import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { principalOf } from '../../../platform/http/access.js'
import { problems } from '../../../platform/http/schemas.js'
import type { RoutePlugin } from '../../../platform/module.js'
import { clientOf } from '../../../platform/http/client.js'
import {
  InviteStaffBody,
  InviteStaffReply,
  StaffListQuery,
  StaffMemberSchema,
  StaffPage,
  StaffParams,
  UpdateStaffBody,
} from './staff.schema.js'
import type { StaffService } from './staff.service.js'

const access = { permission: 'staff:manage' }
const security = [{ bearer: [] }]

/** `exposeInviteToken`: outside production and without SMTP the reply carries the invite token. */
export function staffRoutes(service: StaffService, exposeInviteToken: boolean): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.post(
      '/v1/admin/staff',
      {
        config: { access, idempotency: false },
        schema: {
          tags: ['admin', 'auth'],
          summary: 'Invite a staff member (they set their password with the emailed token)',
          security,
          body: InviteStaffBody,
          response: { 201: InviteStaffReply, ...problems(401, 403, 409) },
        },
      },
      async (request, reply) => {
        const actor = { principal: principalOf(request), client: clientOf(request) }
        const { user, token } = await service.invite(request.body, actor)
        reply.code(201).header('cache-control', 'no-store')
        return reply.send(exposeInviteToken ? { user, inviteToken: token } : { user })
      },
    )

    app.patch(
      '/v1/admin/staff/:id',
      {
        config: { access },
        schema: {
          tags: ['admin', 'auth'],
          summary: 'Change a member’s role or status (disabled: signed out everywhere at once)',
          security,
          params: StaffParams,
          body: UpdateStaffBody,
          response: { 200: StaffMemberSchema, ...problems(401, 403, 404, 409) },
        },
      },
      async (request) => {
        const actor = { principal: principalOf(request), client: clientOf(request) }
        return service.update(request.params.id, request.body, actor)
      },
    )

    app.get(
      '/v1/admin/staff',
      {
        config: { access },
        schema: {
          tags: ['admin', 'auth'],
          summary: 'Staff and administrators',
          security,
          querystring: StaffListQuery,
          response: { 200: StaffPage, ...problems(401, 403) },
        },
      },
      async (request) => service.list(request.query),
    )
  }
}
