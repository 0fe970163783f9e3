import { Type, type Static } from '@sinclair/typebox'
import { PageOf, PageQuery } from '../../../platform/http/schemas.js'
import { PublicUserSchema } from '../core/auth.schema.js'

const StaffRole = Type.Union([Type.Literal('staff'), Type.Literal('admin')])

export const StaffMemberSchema = Type.Object(
  {
    ...PublicUserSchema.properties,
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  },
  { additionalProperties: false },
)
export type StaffMember = Static<typeof StaffMemberSchema>

export const InviteStaffBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' }),
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    role: StaffRole,
  },
  { additionalProperties: false },
)
export type InviteStaffInput = Static<typeof InviteStaffBody>

export const InviteStaffReply = Type.Object({
  user: StaffMemberSchema,
  inviteToken: Type.Optional(
    Type.String({
      description:
        'Only outside production and without SMTP_URL: the token for POST /v1/auth/password/reset that sets the first password',
    }),
  ),
})

export const UpdateStaffBody = Type.Object(
  {
    role: Type.Optional(Type.Union([StaffRole, Type.Literal('customer')])),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateStaffInput = Static<typeof UpdateStaffBody>

export const StaffParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
export const StaffListQuery = Type.Object(PageQuery, { additionalProperties: false })
export type StaffListInput = Static<typeof StaffListQuery>
export const StaffPage = PageOf(StaffMemberSchema)
