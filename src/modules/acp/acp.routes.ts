import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { principalOf } from '../../platform/http/access.js'
import { AcpErrors } from './acp.errors.js'
import { registerAcpProtocol } from './acp.http.js'
import type { AcpSessionService } from './acp.service.js'

export const ACP_PERMISSION = 'agentic_checkout'

const access = { permission: ACP_PERMISSION }
const SessionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
/** The bodies are checked against the vendored ACP JSON Schema by the service. */
const AcpBody = (name: string) =>
  Type.Unknown({
    description: `ACP 2026-04-17 \`${name}\` (snake_case, as the spec's JSON Schema)`,
  })
const PROTOCOL_HEADERS =
  'Headers: `API-Version: 2026-04-17` (required), `Idempotency-Key` (required on POST), ' +
  '`Signature` and `Timestamp` when a signing secret is configured. Errors are the ACP error ' +
  'object `{ type, code, message, param? }`.'

/** The session's owner: the API key itself (a staff sign-in is not an agent platform). */
function apiKeyOf(request: FastifyRequest): string {
  const principal = principalOf(request)
  if (principal.via !== 'api_key') throw AcpErrors.apiKeyRequired(ACP_PERMISSION)
  return principal.subject
}

/** The checkout-session API of the Agentic Commerce Protocol, under /acp. */
export function acpSessionRoutes(sessions: AcpSessionService, signingSecret: string | undefined) {
  return async (fastify: FastifyInstance) => {
    registerAcpProtocol(fastify, signingSecret)
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const doc = (summary: string, body?: string) => ({
      tags: ['acp'],
      summary,
      description: PROTOCOL_HEADERS,
      security: [{ bearer: [] }],
      ...(body ? { body: AcpBody(body) } : {}),
    })

    app.post(
      '/acp/checkout_sessions',
      {
        config: { access },
        schema: doc('Create a checkout session (201)', 'CheckoutSessionCreateRequest'),
      },
      async (request, reply) =>
        reply.code(201).send(await sessions.create(apiKeyOf(request), request.body)),
    )
    app.post(
      '/acp/checkout_sessions/:id',
      {
        config: { access },
        schema: {
          ...doc('Update a checkout session', 'CheckoutSessionUpdateRequest'),
          params: SessionParams,
        },
      },
      async (request) => sessions.update(apiKeyOf(request), request.params.id, request.body),
    )
    app.get(
      '/acp/checkout_sessions/:id',
      {
        config: { access },
        schema: { ...doc('Retrieve a checkout session'), params: SessionParams },
      },
      async (request) => sessions.get(apiKeyOf(request), request.params.id),
    )
    app.post(
      '/acp/checkout_sessions/:id/complete',
      {
        config: { access },
        schema: {
          ...doc(
            'Complete: pay and place the order (CheckoutSessionWithOrder)',
            'CheckoutSessionCompleteRequest',
          ),
          params: SessionParams,
        },
      },
      async (request) => sessions.complete(apiKeyOf(request), request.params.id, request.body),
    )
    app.post(
      '/acp/checkout_sessions/:id/cancel',
      {
        config: { access },
        schema: {
          ...doc(
            'Cancel a checkout session (405 once completed or canceled)',
            'CancelSessionRequest',
          ),
          params: SessionParams,
        },
      },
      async (request) => sessions.cancel(apiKeyOf(request), request.params.id, request.body),
    )
  }
}
