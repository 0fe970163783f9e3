import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { problems } from '../../../platform/http/schemas.js'
import type { RoutePlugin } from '../../../platform/module.js'
import { clientOf } from '../../../platform/http/client.js'
import { deliverSignIn } from '../mfa/mfa.routes.js'
import { SignInReply } from '../mfa/mfa.schema.js'
import type { OidcService } from './oidc.service.js'

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
          summary: 'Finish OpenID Connect sign-in: tokens, or an MFA challenge',
          description:
            'The provider redirects here. Links by verified email only; a new email creates ' +
            'a customer account.',
          params: ProviderParams,
          querystring: CallbackQuery,
          response: { 200: SignInReply, ...problems(401, 403, 404, 409, 503) },
        },
      },
      async (request, reply) => {
        const query = new URLSearchParams(request.query as Record<string, string>)
        const outcome = await service.callback(request.params.provider, query, clientOf(request))
        return deliverSignIn(reply, outcome, 'body')
      },
    )
  }
}
