import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { problems } from '../../../platform/http/schemas.js'
import type { RoutePlugin } from '../../../platform/module.js'
import { clientOf } from '../../../platform/http/client.js'
import { principalOf } from '../../../platform/http/access.js'
import type { FastifyRequest } from 'fastify'
import { deliverSignIn } from '../mfa/mfa.routes.js'
import { MfaErrors } from '../mfa/mfa.errors.js'
import { SignInReply } from '../mfa/mfa.schema.js'
import type { Linker, OidcService } from './oidc.service.js'

const ProviderParams = Type.Object({
  provider: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$', description: 'e.g. google' }),
})

const CallbackQuery = Type.Object(
  {
    state: Type.Optional(Type.String({ maxLength: 512 })),
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    iss: Type.Optional(Type.String({ maxLength: 2048 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: Type.String({ maxLength: 4096 }) },
)

const LinkedReply = Type.Object(
  {
    identityLinked: Type.Literal(true),
    provider: Type.String(),
  },
  { additionalProperties: false, description: 'The end of a link started from the account' },
)

const LinkStartReply = Type.Object({
  authorizationUrl: Type.String({
    description: 'Open in the browser; the provider redirects to the callback, which links',
  }),
})

const IdentityList = Type.Object({
  data: Type.Array(
    Type.Object({
      provider: Type.String(),
      email: Type.Union([Type.String(), Type.Null()], {
        description: 'What the provider said when the link was made',
      }),
      createdAt: Type.String({ format: 'date-time' }),
    }),
  ),
})

const bearer = [{ bearer: [] }]

/** The signed-in user and session; API keys have no session to bind a link to. */
function linkerOf(request: FastifyRequest): Linker {
  const principal = principalOf(request)
  if (principal.via !== 'access_token' || !principal.sessionId) throw MfaErrors.userOnly()
  return { userId: principal.subject, sessionId: principal.sessionId, role: principal.role }
}

const Redirect = Type.Null({
  description: 'Redirect to the provider; the Location header carries the authorization URL',
})

export function oidcRoutes(service: OidcService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.get(
      '/v1/auth/oidc/:provider/start',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Start OpenID Connect sign-in (authorization code + PKCE)',
          description: 'Open this in the browser; it redirects to the provider.',
          params: ProviderParams,
          response: { 302: Redirect, ...problems(404, 503) },
        },
      },
      async (request, reply) => {
        const location = await service.start(request.params.provider)
        reply.header('cache-control', 'no-store')
        return reply.redirect(location, 302)
      },
    )

    app.get(
      '/v1/auth/oidc/:provider/callback',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Finish OpenID Connect sign-in: tokens, or an MFA challenge (or a link)',
          description:
            'The provider redirects here. An unlinked provider account is linked automatically ' +
            'only to a customer whose email both the provider and we verified ' +
            '(`account_exists_unverified` otherwise; staff: `account_link_required`); a new ' +
            'email creates a customer account. A link started with POST ' +
            '/v1/me/identities/{provider} answers { identityLinked, provider }.',
          params: ProviderParams,
          querystring: CallbackQuery,
          response: {
            200: Type.Union([SignInReply, LinkedReply]),
            ...problems(401, 403, 404, 409, 503),
          },
        },
      },
      async (request, reply) => {
        const query = new URLSearchParams(request.query as Record<string, string>)
        const outcome = await service.callback(request.params.provider, query, clientOf(request))
        if ('identityLinked' in outcome) return outcome
        return deliverSignIn(reply, outcome, 'body')
      },
    )

    app.post(
      '/v1/me/identities/:provider',
      {
        config: { access: 'authenticated', idempotency: false },
        schema: {
          tags: ['auth'],
          summary: 'Start linking a provider account to the signed-in account',
          description:
            'Staff and admins need two-factor on (`mfa_required`). The link is bound to this ' +
            'session: signing out before the callback cancels it.',
          security: bearer,
          params: ProviderParams,
          response: { 200: LinkStartReply, ...problems(401, 403, 404, 503) },
        },
      },
      async (request, reply) => {
        const url = await service.startLink(request.params.provider, linkerOf(request))
        reply.header('cache-control', 'no-store')
        return { authorizationUrl: url }
      },
    )

    app.get(
      '/v1/me/identities',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Provider accounts linked to the signed-in account',
          security: bearer,
          response: { 200: IdentityList, ...problems(401, 403) },
        },
      },
      async (request) => {
        const rows = await service.identities(linkerOf(request).userId)
        const data = rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }))
        return { data }
      },
    )

    app.delete(
      '/v1/me/identities/:provider',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Unlink the provider’s accounts from the signed-in account',
          security: bearer,
          params: ProviderParams,
          response: { 204: Type.Null(), ...problems(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await service.unlink(linkerOf(request).userId, request.params.provider)
        return reply.code(204).send(null)
      },
    )
  }
}
