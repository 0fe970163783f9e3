import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import type { WebhookDeliveryService } from './webhooks.delivery.js'
import {
  CreatedEndpointSchema,
  CreateEndpointBody,
  DeliveryPage,
  DeliveryParams,
  DeliverySchema,
  EndpointPage,
  EndpointParams,
  EndpointSchema,
  RotateSecretBody,
  UpdateEndpointBody,
  WebhookPageQuery,
} from './webhooks.schema.js'
import type { WebhookEndpointService } from './webhooks.service.js'

const BASE = '/v1/admin/webhook-endpoints'
const access = { permission: 'webhooks:manage' }
const common = { tags: ['admin', 'webhooks'], security: [{ bearer: [] }] }

export function webhookRoutes(
  endpoints: WebhookEndpointService,
  deliveries: WebhookDeliveryService,
): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const config = { access }
    // The signing secret is stored sealed for the caller's retries only (never in clear).
    const withSecret = { access, idempotency: { secrets: ['secret'] } }

    app.post(
      BASE,
      {
        config: withSecret,
        schema: {
          ...common,
          summary: 'Register a webhook endpoint',
          description: 'The reply carries the signing secret; it is never shown again.',
          body: CreateEndpointBody,
          response: { 201: CreatedEndpointSchema, ...problems(401, 403) },
        },
      },
      async (request, reply) => reply.code(201).send(await endpoints.create(request.body)),
    )

    app.get(
      BASE,
      {
        config,
        schema: {
          ...common,
          summary: 'Webhook endpoints, newest first',
          querystring: WebhookPageQuery,
          response: { 200: EndpointPage, ...problems(401, 403) },
        },
      },
      async (request) => endpoints.list(request.query),
    )

    app.get(
      `${BASE}/:id`,
      {
        config,
        schema: {
          ...common,
          summary: 'One webhook endpoint',
          params: EndpointParams,
          response: { 200: EndpointSchema, ...problems(401, 403, 404) },
        },
      },
      async (request) => endpoints.get(request.params.id),
    )

    app.patch(
      `${BASE}/:id`,
      {
        config,
        schema: {
          ...common,
          summary: 'Change a webhook endpoint',
          description: 'Setting `enabled: true` also resets the circuit breaker.',
          params: EndpointParams,
          body: UpdateEndpointBody,
          response: { 200: EndpointSchema, ...problems(401, 403, 404, 409) },
        },
      },
      async (request) => endpoints.update(request.params.id, request.body),
    )

    for (const [verb, enabled] of [
      ['enable', true],
      ['disable', false],
    ] as const) {
      app.post(
        `${BASE}/:id/${verb}`,
        {
          config,
          schema: {
            ...common,
            summary: `${verb === 'enable' ? 'Enable' : 'Disable'} a webhook endpoint`,
            params: EndpointParams,
            response: { 200: EndpointSchema, ...problems(401, 403, 404) },
          },
        },
        async (request) => endpoints.update(request.params.id, { enabled }),
      )
    }

    app.post(
      `${BASE}/:id/rotate-secret`,
      {
        config: withSecret,
        schema: {
          ...common,
          summary: 'Replace the signing secret, with an overlap window',
          description:
            'The reply carries the new secret (shown once). For `overlapSeconds` (default 86400) ' +
            'each delivery carries two `v1,` signatures, with the new and the old secret; after ' +
            'that only the new one. The body may be omitted.',
          params: EndpointParams,
          body: Type.Union([RotateSecretBody, Type.Null()]),
          response: { 200: CreatedEndpointSchema, ...problems(401, 403, 404, 409) },
        },
      },
      async (request) => endpoints.rotateSecret(request.params.id, request.body ?? {}),
    )

    app.delete(
      `${BASE}/:id`,
      {
        config,
        schema: {
          ...common,
          summary: 'Delete a webhook endpoint and its delivery log',
          params: EndpointParams,
          response: { 204: { type: 'null' }, ...problems(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await endpoints.remove(request.params.id)
        return reply.code(204).send(null)
      },
    )

    app.get(
      `${BASE}/:id/deliveries`,
      {
        config,
        schema: {
          ...common,
          summary: "An endpoint's deliveries, newest first, with every attempt",
          params: EndpointParams,
          querystring: WebhookPageQuery,
          response: { 200: DeliveryPage, ...problems(401, 403, 404) },
        },
      },
      async (request) => deliveries.list(request.params.id, request.query),
    )

    app.post(
      `${BASE}/:id/deliveries/:deliveryId/retry`,
      {
        config,
        schema: {
          ...common,
          summary: 'Send a delivery again now (same webhook-id)',
          params: DeliveryParams,
          response: { 202: DeliverySchema, ...problems(401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply.code(202).send(await deliveries.retry(request.params.id, request.params.deliveryId)),
    )
  }
}
