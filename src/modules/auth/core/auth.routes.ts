import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { principalOf } from '../../../platform/http/access.js'
import { CREDENTIAL_LIMIT } from '../../../platform/ratelimit/http.js'
import { problems } from '../../../platform/http/schemas.js'
import type { RoutePlugin } from '../../../platform/module.js'
import { JwksReply, LoginBody, MeSchema, RegisterBody, RegisterReply } from './auth.schema.js'
import type { AuthService } from './auth.service.js'
import { PERMISSIONS } from './permissions.js'
import { clientOf } from '../../../platform/http/client.js'
import { deliverSignIn } from '../mfa/mfa.routes.js'
import { SignInReply } from '../mfa/mfa.schema.js'

// Verifiers cache the key set for this long; they refetch sooner when they meet an unknown kid.
const JWKS_CACHE_CONTROL = 'public, max-age=300'

export function authRoutes(service: AuthService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.post(
      '/v1/auth/register',
      {
        config: { access: 'public', rateLimit: CREDENTIAL_LIMIT },
        schema: {
          tags: ['auth'],
          summary: 'Create a customer account',
          body: RegisterBody,
          response: { 201: RegisterReply, ...problems(409) },
        },
      },
      async (request, reply) => {
        const user = await service.register(request.body)
        return reply.code(201).send({ user })
      },
    )

    app.post(
      '/v1/auth/login',
      {
        config: { access: 'public', rateLimit: CREDENTIAL_LIMIT, idempotency: false },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with email and password',
          description:
            'With two-factor on, answers { mfaRequired, mfaToken }: see /v1/auth/mfa/verify.',
          body: LoginBody,
          response: { 200: SignInReply, ...problems(401, 403) },
        },
      },
      async (request, reply) => {
        const outcome = await service.login(request.body, clientOf(request))
        return deliverSignIn(reply, outcome, request.body.refreshTokenIn ?? 'body')
      },
    )

    app.get(
      '/v1/me',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user, with the permissions the caller holds',
          security: [{ bearer: [] }],
          response: { 200: MeSchema, ...problems(401, 404) },
        },
      },
      async (request) => {
        // What the authenticator granted this request, in the table's order.
        const principal = principalOf(request)
        const user = await service.getMe(principal.subject)
        return { ...user, permissions: PERMISSIONS.filter((p) => principal.permissions.has(p)) }
      },
    )

    app.get(
      '/.well-known/jwks.json',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Public keys that verify access tokens (RFC 7517)',
          response: { 200: JwksReply, ...problems() },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', JWKS_CACHE_CONTROL)
        return { keys: await service.publicKeys() }
      },
    )
  }
}
