import { connection, given, orNull } from '../../platform/graphql/resolvers.js'
import { requirePermission } from '../../platform/graphql/context.js'
import type { GraphqlPart } from '../../platform/graphql/plugin.js'
import type { Resolvers } from '../../graphql.types.js'
import type { WebhookDeliveryService } from './webhooks.delivery.js'
import {
  CreateEndpointBody,
  DeliveryParams,
  EndpointParams,
  RotateSecretBody,
  UpdateEndpointBody,
  WebhookPageQuery,
  type CreatedEndpointDto,
  type EndpointDto,
} from './webhooks.schema.js'
import type { WebhookEndpointService } from './webhooks.service.js'

export const webhooksTypeDefs = /* GraphQL */ `
  extend type Query {
    """
    Webhook endpoints, newest first. Needs webhooks:manage.
    """
    webhookEndpoints(first: Int = 20, after: String): WebhookEndpointConnection!
      @complexity(value: 1, multipliers: ["first"])
    """
    One webhook endpoint; null when there is none. Needs webhooks:manage.
    """
    webhookEndpoint(id: ID!): WebhookEndpoint
  }

  extend type Mutation {
    """
    Registers a webhook endpoint. The result carries the signing secret; it is never shown
    again (a retry with the same \`idempotencyKey\` gets the first result). Needs webhooks:manage.
    """
    createWebhookEndpoint(
      input: WebhookEndpointInput!
      idempotencyKey: String
    ): WebhookEndpointWithSecret!
    """
    Changes a webhook endpoint; \`enabled: true\` also resets the circuit breaker.
    Needs webhooks:manage.
    """
    updateWebhookEndpoint(id: ID!, input: WebhookEndpointPatch!): WebhookEndpoint!
    """
    Deletes a webhook endpoint and its delivery log. Needs webhooks:manage.
    """
    deleteWebhookEndpoint(id: ID!): Boolean!
    """
    Replaces the signing secret; the new one is in the result, shown once. For
    \`overlapSeconds\` (default 86400, at most 604800; 0: none) each delivery carries two
    signatures, with the new and the old secret. Needs webhooks:manage.
    """
    rotateWebhookSecret(
      id: ID!
      overlapSeconds: Int
      idempotencyKey: String
    ): WebhookEndpointWithSecret!
    """
    Sends a delivery again now, with the same webhook-id. Needs webhooks:manage.
    """
    retryWebhookDelivery(endpointId: ID!, deliveryId: ID!): WebhookDelivery!
  }

  type WebhookEndpointConnection {
    nodes: [WebhookEndpoint!]!
    pageInfo: PageInfo!
  }

  type WebhookEndpoint {
    """
    whe_ prefixed id.
    """
    id: ID!
    url: String!
    description: String
    """
    Event types (order.paid, product.created …), or * for all.
    """
    events: [String!]!
    enabled: Boolean!
    """
    Why the endpoint was disabled, when it was not by hand.
    """
    disabledReason: String
    """
    After a rotation, until when deliveries are also signed with the old secret.
    """
    previousSecretExpiresAt: DateTime
    createdAt: DateTime!
    updatedAt: DateTime!
    """
    The endpoint's deliveries, newest first, each with every attempt.
    """
    deliveries(first: Int = 20, after: String): WebhookDeliveryConnection!
      @complexity(value: 1, multipliers: ["first"])
  }

  """
  An endpoint with its signing secret: only what creating it or rotating the secret returns.
  """
  type WebhookEndpointWithSecret {
    endpoint: WebhookEndpoint!
    """
    whsec_ + base64; shown once, only here.
    """
    secret: String!
  }

  input WebhookEndpointInput {
    """
    http(s) URL that receives POSTs.
    """
    url: String!
    """
    Event types (order.paid, product.created …), or * for all.
    """
    events: [String!]!
    description: String
  }

  """
  The fields given replace the endpoint's; \`description: null\` clears it.
  """
  input WebhookEndpointPatch {
    url: String
    events: [String!]
    description: String
    enabled: Boolean
  }

  type WebhookDeliveryConnection {
    nodes: [WebhookDelivery!]!
    pageInfo: PageInfo!
  }

  enum WebhookDeliveryStatus {
    pending
    succeeded
    failed
  }

  type WebhookDelivery {
    """
    msg_ prefixed; the webhook-id header, kept across retries.
    """
    id: ID!
    eventId: ID!
    eventType: String!
    status: WebhookDeliveryStatus!
    attemptCount: Int!
    nextAttemptAt: DateTime
    createdAt: DateTime!
    completedAt: DateTime
    attempts: [WebhookAttempt!]!
  }

  type WebhookAttempt {
    """
    1 for the first try.
    """
    attempt: Int!
    startedAt: DateTime!
    durationMs: Int!
    statusCode: Int
    succeeded: Boolean!
    """
    At most 1 KB.
    """
    responseExcerpt: String
    error: String
  }
`

/** The secret beside the endpoint: the one top-level field an idempotent replay keeps sealed. */
function withSecret({ secret, ...endpoint }: CreatedEndpointDto) {
  return { endpoint: endpoint as EndpointDto, secret }
}

/** Webhook endpoints and their deliveries over the same calls as `/v1/admin/webhook-endpoints`. */
export function webhooksGraphql(
  endpoints: WebhookEndpointService,
  deliveries: WebhookDeliveryService,
): GraphqlPart {
  const resolvers: Resolvers = {
    Query: {
      webhookEndpoints: async (_root, args, context) => {
        requirePermission(context, 'webhooks:manage')
        const query = context.input(
          WebhookPageQuery,
          given({ limit: args.first, cursor: args.after }),
          '/webhookEndpoints',
        )
        const page = await endpoints.list(query)
        return connection(page)
      },
      webhookEndpoint: async (_root, args, context) => {
        requirePermission(context, 'webhooks:manage')
        const { id } = context.input(EndpointParams, { id: args.id }, '/webhookEndpoint')
        return orNull(endpoints.get(id))
      },
    },
    Mutation: {
      createWebhookEndpoint: async (_root, args, context) => {
        requirePermission(context, 'webhooks:manage')
        const input = context.input(
          CreateEndpointBody,
          { ...args.input, description: args.input.description ?? undefined },
          '/createWebhookEndpoint/input',
        )
        return context.once(
          {
            name: 'createWebhookEndpoint',
            key: args.idempotencyKey,
            input,
            secrets: ['secret'],
          },
          async () => withSecret(await endpoints.create(input)),
        )
      },
      updateWebhookEndpoint: async (_root, args, context) => {
        requirePermission(context, 'webhooks:manage')
        const { id } = context.input(EndpointParams, { id: args.id }, '/updateWebhookEndpoint')
        const patch = context.input(
          UpdateEndpointBody,
          given(args.input, true),
          '/updateWebhookEndpoint/input',
        )
        return endpoints.update(id, patch)
      },
      deleteWebhookEndpoint: async (_root, args, context) => {
        requirePermission(context, 'webhooks:manage')
        const { id } = context.input(EndpointParams, { id: args.id }, '/deleteWebhookEndpoint')
        await endpoints.remove(id)
        return true
      },
      rotateWebhookSecret: async (_root, args, context) => {
        requirePermission(context, 'webhooks:manage')
        const { id } = context.input(EndpointParams, { id: args.id }, '/rotateWebhookSecret')
        const body = context.input(
          RotateSecretBody,
          given({ overlapSeconds: args.overlapSeconds }),
          '/rotateWebhookSecret',
        )
        return context.once(
          {
            name: 'rotateWebhookSecret',
            key: args.idempotencyKey,
            input: { id, ...body },
            secrets: ['secret'],
          },
          async () => withSecret(await endpoints.rotateSecret(id, body)),
        )
      },
      retryWebhookDelivery: async (_root, args, context) => {
        requirePermission(context, 'webhooks:manage')
        const params = context.input(
          DeliveryParams,
          { id: args.endpointId, deliveryId: args.deliveryId },
          '/retryWebhookDelivery',
        )
        return deliveries.retry(params.id, params.deliveryId)
      },
    },
    WebhookEndpoint: {
      deliveries: async (endpoint, args, context) => {
        requirePermission(context, 'webhooks:manage')
        const query = context.input(
          WebhookPageQuery,
          given({ limit: args.first, cursor: args.after }),
          '/deliveries',
        )
        const page = await deliveries.list(endpoint.id, query)
        return connection(page)
      },
    },
  }
  return { resolvers: resolvers as GraphqlPart['resolvers'] }
}
