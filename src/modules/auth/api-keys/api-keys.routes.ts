import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { principalOf } from '../../../platform/http/access.js'
import { problems } from '../../../platform/http/schemas.js'
import type { RoutePlugin } from '../../../platform/module.js'
import {
  ApiKeyListQuery,
  ApiKeyPage,
  ApiKeyParams,
  CreateApiKeyBody,
  CreatedApiKeyReply,
} from './api-keys.schema.js'
import type { ApiKeyService } from './api-keys.service.js'
import { clientOf } from '../../../platform/http/client.js'

const access = { permission: 'api_keys:manage' }
const security = [{ bearer: [] }]

export function apiKeyRoutes(service: ApiKeyService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.post(
      '/v1/admin/api-keys',
      {
        config: { access, idempotency: false },
        schema: {
          tags: ['admin', 'auth'],
          summary: 'Create an API key (the key is shown once)',
          security,
          body: CreateApiKeyBody,
          response: { 201: CreatedApiKeyReply, ...problems(401, 403) },
        },
      },
      async (request, reply) => {
        const actor = { principal: principalOf(request), client: clientOf(request) }
        const created = await service.create(request.body, actor)
        return reply.code(201).header('cache-control', 'no-store').send(created)
      },
    )

    app.get(
      '/v1/admin/api-keys',
      {
        config: { access },
        schema: {
          tags: ['admin', 'auth'],
          summary: 'API keys, newest first (never the keys themselves)',
          security,
          querystring: ApiKeyListQuery,
          response: { 200: ApiKeyPage, ...problems(401, 403) },
        },
      },
      async (request) => service.list(request.query),
    )

    app.delete(
      '/v1/admin/api-keys/:id',
      {
        config: { access },
        schema: {
          tags: ['admin', 'auth'],
          summary: 'Revoke an API key; it stops working at once',
          security,
          params: ApiKeyParams,
          response: { 204: Type.Null(), ...problems(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const actor = { principal: principalOf(request), client: clientOf(request) }
        await service.revoke(request.params.id, actor)
        return reply.code(204).send(null)
      },
    )
  }
}
