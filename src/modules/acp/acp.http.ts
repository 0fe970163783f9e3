import type { FastifyInstance } from 'fastify'
import { AcpErrors, acpErrorHandler } from './acp.errors.js'
import { signatureProblem } from './acp.signing.js'
import { ACP_VERSION } from './acp.spec.js'

/**
 * The protocol's rules for every /acp request, in this plugin scope only: its error object,
 * `API-Version`, the request signature (when a secret is set) and `Idempotency-Key` on every
 * POST. The platform's idempotency hook (later, in preHandler) then replays, refuses a reused key
 * with another body (422) and one still running (409).
 */
export function registerAcpProtocol(app: FastifyInstance, signingSecret: string | undefined): void {
  app.setErrorHandler(acpErrorHandler)
  app.addHook('preValidation', async (request) => {
    const version = request.headers['api-version']
    if (version === undefined) throw AcpErrors.missingApiVersion()
    if (version !== ACP_VERSION) throw AcpErrors.unsupportedApiVersion(String(version))
    if (signingSecret) {
      const problem = signatureProblem(signingSecret, request.headers, request.body)
      if (problem) throw AcpErrors.invalidSignature(problem)
    }
    if (request.method === 'POST' && request.headers['idempotency-key'] === undefined)
      throw AcpErrors.idempotencyKeyRequired()
  })
  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.headers['idempotency-key']
    if (request.method === 'POST' && typeof key === 'string') reply.header('idempotency-key', key)
    const requestId = request.headers['request-id']
    if (typeof requestId === 'string') reply.header('request-id', requestId.slice(0, 200))
    return payload
  })
}
