import { CREDENTIAL_LIMIT } from '../../../platform/ratelimit/http.js'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { principalOf } from '../../../platform/http/access.js'
import { problems } from '../../../platform/http/schemas.js'
import type { RoutePlugin } from '../../../platform/module.js'
import {
  AcceptedReply,
  DeleteMeBody,
  ForgotPasswordBody,
  ResetPasswordBody,
  UpdateMeBody,
  VerifyEmailBody,
} from './account.schema.js'
import type { AccountService } from './account.service.js'
import { PublicUserSchema } from '../core/auth.schema.js'
import type { VerificationService } from './verification.service.js'

const FORGOT_REPLY = {
  message: 'If an account exists for this address, a link to reset its password is on its way.',
}
const RESEND_REPLY = { message: 'A new verification link is on its way.' }
const SECURITY = [{ bearer: [] }]

/** Account lifecycle: email verification, password reset, profile and deletion. */
export function accountRoutes(
  verification: VerificationService,
  account: AccountService,
): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.post(
      '/v1/auth/email/verify',
      {
        config: { access: 'public', rateLimit: { quota: 'auth' } },
        schema: {
          tags: ['auth'],
          summary: 'Confirm the email address with the token from the mail (single use, 24 h)',
          description: 'Unknown or used token: 400 token_invalid. Expired: 400 token_expired.',
          body: VerifyEmailBody,
          response: { 204: Type.Null(), ...problems() },
        },
      },
      async (request, reply) => {
        await verification.verifyEmail(request.body.token)
        return reply.code(204).send(null)
      },
    )

    app.post(
      '/v1/auth/email/verify/resend',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Mail a new verification link to the signed-in user',
          security: SECURITY,
          response: { 202: AcceptedReply, ...problems(401, 404, 409) },
        },
      },
      async (request, reply) => {
        await verification.resendVerification(principalOf(request).subject)
        return reply.code(202).send(RESEND_REPLY)
      },
    )

    app.post(
      '/v1/auth/password/forgot',
      {
        config: { access: 'public', rateLimit: CREDENTIAL_LIMIT },
        schema: {
          tags: ['auth'],
          summary:
            'Mail a password reset link (1 h); always 202, whether or not the account exists',
          body: ForgotPasswordBody,
          response: { 202: AcceptedReply, ...problems() },
        },
      },
      async (request, reply) => {
        await verification.forgotPassword(request.body.email)
        return reply.code(202).send(FORGOT_REPLY)
      },
    )

    app.post(
      '/v1/auth/password/reset',
      {
        config: { access: 'public', rateLimit: { quota: 'auth' } },
        schema: {
          tags: ['auth'],
          summary: 'Set a new password with the token from the mail; signs out every session',
          description:
            'Unknown or used token: 400 token_invalid. Expired: 400 token_expired. Common ' +
            'password: 400 password_too_common.',
          body: ResetPasswordBody,
          response: { 204: Type.Null(), ...problems() },
        },
      },
      async (request, reply) => {
        await verification.resetPassword(request.body.token, request.body.newPassword)
        return reply.code(204).send(null)
      },
    )

    app.patch(
      '/v1/me',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Change my profile (the name; changing the email is not supported yet)',
          security: SECURITY,
          body: UpdateMeBody,
          response: { 200: PublicUserSchema, ...problems(401, 404) },
        },
      },
      async (request) => account.updateProfile(principalOf(request).subject, request.body),
    )

    app.post(
      '/v1/me/delete',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Delete my account: personal data is anonymised, orders are kept',
          description: 'Needs the current password (wrong: 403 password_incorrect).',
          security: SECURITY,
          body: DeleteMeBody,
          response: { 204: Type.Null(), ...problems(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await account.deleteAccount(principalOf(request).subject, request.body.password)
        return reply.code(204).send(null)
      },
    )
  }
}
