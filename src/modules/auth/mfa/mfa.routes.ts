import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { principalOf } from '../../../platform/http/access.js'
import { problems } from '../../../platform/http/schemas.js'
import type { RoutePlugin } from '../../../platform/module.js'
import type { RouteRateLimit } from '../../../platform/ratelimit/http.js'
import { LoginReply } from '../core/auth.schema.js'
import { clientOf } from '../../../platform/http/client.js'
import { deliverTokens } from '../sessions/sessions.cookies.js'
import { MfaErrors } from './mfa.errors.js'
import {
  MfaStatusReply,
  MfaVerifyBody,
  RecoveryCodesReply,
  TotpCodeBody,
  TotpDisableBody,
  TotpEnrolmentReply,
} from './mfa.schema.js'
import { isMfaChallenge, type MfaChallenge, type MfaService } from './mfa.service.js'
import type { RefreshTokenDelivery } from '../sessions/sessions.schema.js'
import type { SessionTokens } from '../sessions/sessions.service.js'

const bearer = [{ bearer: [] }]

/** Counted per IP on the strict quota and per challenge, so one token cannot be brute-forced. */
const VERIFY_LIMIT: RouteRateLimit = Object.freeze({ quota: 'auth', accountField: 'mfaToken' })

/** Replies to a sign-in: the tokens, or only `{ mfaRequired, mfaToken }` when a code is owed. */
export function deliverSignIn(
  reply: FastifyReply,
  outcome: SessionTokens | MfaChallenge,
  delivery: RefreshTokenDelivery,
) {
  if (!isMfaChallenge(outcome)) return deliverTokens(reply, outcome, delivery)
  reply.header('cache-control', 'no-store')
  return { mfaRequired: true as const, mfaToken: outcome.mfaToken }
}

/** The signed-in user; API keys cannot hold a second factor. */
function userOf(request: FastifyRequest): string {
  const principal = principalOf(request)
  if (principal.via !== 'access_token') throw MfaErrors.userOnly()
  return principal.subject
}

export function mfaRoutes(mfa: MfaService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.get(
      '/v1/auth/mfa',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Two-factor status of the signed-in user',
          security: bearer,
          response: { 200: MfaStatusReply, ...problems(401, 403) },
        },
      },
      async (request) => mfa.status(userOf(request)),
    )

    app.post(
      '/v1/auth/mfa/totp',
      {
        config: { access: 'authenticated', idempotency: false },
        schema: {
          tags: ['auth'],
          summary: 'Start TOTP enrolment (pending until confirmed with a code)',
          security: bearer,
          response: { 200: TotpEnrolmentReply, ...problems(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const enrolment = await mfa.startTotp(userOf(request))
        reply.header('cache-control', 'no-store')
        return enrolment
      },
    )

    app.post(
      '/v1/auth/mfa/totp/confirm',
      {
        config: { access: 'authenticated', idempotency: false },
        schema: {
          tags: ['auth'],
          summary: 'Confirm TOTP with a current code; returns 10 single-use recovery codes',
          security: bearer,
          body: TotpCodeBody,
          response: { 200: RecoveryCodesReply, ...problems(401, 403, 409) },
        },
      },
      async (request, reply) => {
        const codes = await mfa.confirmTotp(userOf(request), request.body.code, clientOf(request))
        reply.header('cache-control', 'no-store')
        return { recoveryCodes: codes }
      },
    )

    app.post(
      '/v1/auth/mfa/totp/disable',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Turn TOTP off; needs the password and a current code (not a recovery code)',
          description:
            'Wrong password: 403 password_incorrect; wrong code: 403 mfa_code_invalid. Failures ' +
            'count per user with those of confirm, password change and deletion: 429 after 5 ' +
            'in 15 minutes (LOGIN_LOCKOUT_*).',
          security: bearer,
          body: TotpDisableBody,
          response: { 204: Type.Null(), ...problems(401, 403, 409) },
        },
      },
      async (request, reply) => {
        await mfa.disableTotp(userOf(request), request.body, clientOf(request))
        return reply.code(204).send(null)
      },
    )

    app.post(
      '/v1/auth/mfa/verify',
      {
        config: { access: 'public', rateLimit: VERIFY_LIMIT, idempotency: false },
        schema: {
          tags: ['auth'],
          summary: 'Second sign-in step: the mfaToken from login plus a TOTP or recovery code',
          body: MfaVerifyBody,
          response: { 200: LoginReply, ...problems(401, 403) },
        },
      },
      async (request, reply) => {
        const { mfaToken, code, refreshTokenIn } = request.body
        const tokens = await mfa.verify(mfaToken, code, clientOf(request))
        return deliverTokens(reply, tokens, refreshTokenIn ?? 'body')
      },
    )
  }
}
