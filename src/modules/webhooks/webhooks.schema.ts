import { Type, type Static } from '@sinclair/typebox'
import { PageOf, PageQuery } from '../../platform/http/schemas.js'
import { WEBHOOK_EVENT_TYPES } from './webhooks.events.js'

const EventType = Type.Union(
  [...WEBHOOK_EVENT_TYPES, '*'].map((t) => Type.Literal(t)),
  { description: `One of: ${WEBHOOK_EVENT_TYPES.join(', ')}, or * for all` },
)
const Url = Type.String({ maxLength: 2048, description: 'http(s) URL that receives POSTs' })
const Events = Type.Array(EventType, { minItems: 1, maxItems: 50, uniqueItems: true })
const Description = Type.String({ maxLength: 500 })

export const EndpointSchema = Type.Object(
  {
    id: Type.String({ description: 'whe_ prefixed id' }),
    url: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    events: Type.Array(Type.String()),
    enabled: Type.Boolean(),
    disabledReason: Type.Union([Type.String(), Type.Null()], {
      description: 'Why the endpoint was disabled, when it was not by hand',
    }),
    previousSecretExpiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'After a rotation, until when deliveries are also signed with the old secret',
    }),
    managedBy: Type.Union([Type.String(), Type.Null()], {
      description:
        'The module that keeps this endpoint (`acp`): its URL and secret follow that module’s ' +
        'configuration and it may only be enabled or disabled (409 otherwise); null for ' +
        'endpoints made through this API',
    }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
)
export type EndpointDto = Static<typeof EndpointSchema>

export const CreatedEndpointSchema = Type.Object(
  {
    ...EndpointSchema.properties,
    secret: Type.String({ description: 'whsec_ + base64; shown once, only in this reply' }),
  },
  { additionalProperties: false },
)
export type CreatedEndpointDto = Static<typeof CreatedEndpointSchema>

export const CreateEndpointBody = Type.Object(
  { url: Url, events: Events, description: Type.Optional(Description) },
  { additionalProperties: false },
)
export type CreateEndpointInput = Static<typeof CreateEndpointBody>

export const UpdateEndpointBody = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    description: Type.Optional(Type.Union([Description, Type.Null()])),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateEndpointInput = Static<typeof UpdateEndpointBody>

/** Default overlap of a rotation: a day for partners to deploy the new secret. */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 86_400

export const RotateSecretBody = Type.Object(
  {
    overlapSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 7 * 86_400,
        description:
          'How long deliveries stay signed with the old secret too (0: not at all); default 86400',
      }),
    ),
  },
  { additionalProperties: false },
)
export type RotateSecretInput = Static<typeof RotateSecretBody>

export const AttemptSchema = Type.Object({
  attempt: Type.Integer({ description: '1 for the first try' }),
  startedAt: Type.String({ format: 'date-time' }),
  durationMs: Type.Integer(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  succeeded: Type.Boolean(),
  responseExcerpt: Type.Union([Type.String(), Type.Null()], { description: 'At most 1 KB' }),
  error: Type.Union([Type.String(), Type.Null()]),
})

export const DeliverySchema = Type.Object(
  {
    id: Type.String({ description: 'msg_ prefixed; the webhook-id header, kept across retries' }),
    eventId: Type.String(),
    eventType: Type.String(),
    status: Type.Union([
      Type.Literal('pending'),
      Type.Literal('succeeded'),
      Type.Literal('failed'),
    ]),
    attemptCount: Type.Integer(),
    nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    attempts: Type.Array(AttemptSchema),
  },
  { additionalProperties: false },
)
export type DeliveryDto = Static<typeof DeliverySchema>

export const EndpointParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
export const DeliveryParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  deliveryId: Type.String({ maxLength: 64 }),
})
export const WebhookPageQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type WebhookPageQueryDto = Static<typeof WebhookPageQuery>

export const EndpointPage = PageOf(EndpointSchema)
export const DeliveryPage = PageOf(DeliverySchema)
