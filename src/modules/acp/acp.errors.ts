import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { isDatabaseUnavailable } from '../../platform/db/errors.js'
import { AppError, isAppError } from '../../platform/errors.js'
import { httpStatusOf } from '../../platform/http/problems.js'
import { ACP_VERSION } from './acp.spec.js'

/** The ACP error object (`Error` in the spec): /acp answers with it, not with RFC 9457. */
export interface AcpErrorBody {
  type: 'invalid_request' | 'processing_error' | 'service_unavailable'
  code: string
  message: string
  param?: string
  supported_versions?: string[]
}

const invalid = (code: string, message: string, param?: string, status = 400) =>
  new AppError({
    kind: 'validation',
    code,
    title: 'Invalid request',
    detail: message,
    extra: { ...(param ? { param } : {}), ...(status === 400 ? {} : { status }) },
  })

/** The ACP module's coded errors; codes are part of the public API. */
export const AcpErrors = {
  invalidRequest: (param: string, message: string) =>
    invalid('invalid', `${param} ${message}`, param),
  idempotencyKeyRequired: () =>
    invalid('idempotency_key_required', 'Idempotency-Key header is required on all POST requests'),
  missingApiVersion: () =>
    invalid('missing_api_version', `The API-Version header is required (${ACP_VERSION}).`),
  unsupportedApiVersion: (sent: string) =>
    invalid('unsupported_api_version', `API-Version ${sent} is not supported.`),
  invalidSignature: (message: string) =>
    new AppError({
      kind: 'unauthenticated',
      code: 'invalid_signature',
      title: 'Invalid signature',
      detail: message,
    }),
  sessionNotFound: (id: string) =>
    new AppError({
      kind: 'not_found',
      code: 'checkout_session_not_found',
      title: 'Checkout session not found',
      detail: `No checkout session ${id} for this API key.`,
    }),
  /** 405: the session is completed or canceled (the spec's answer to canceling it again). */
  notModifiable: (id: string, status: string) =>
    invalid(
      'checkout_session_not_modifiable',
      `Checkout session ${id} is ${status} and can no longer change.`,
      undefined,
      405,
    ),
  apiKeyRequired: (permission: string) =>
    new AppError({
      kind: 'forbidden',
      code: 'api_key_required',
      title: 'API key required',
      detail: `The Agentic Commerce API takes an API key holding ${permission}.`,
    }),
  notReady: (param: string, message: string) =>
    invalid('checkout_session_not_ready', message, param),
}

/** Codes the platform uses for what ACP names otherwise (its idempotency vocabulary). */
const ACP_CODES: Record<string, string> = {
  idempotency_key_reused: 'idempotency_conflict',
  idempotency_key_in_progress: 'idempotency_in_flight',
}

function typeOf(status: number): AcpErrorBody['type'] {
  if (status === 503) return 'service_unavailable'
  return status >= 500 ? 'processing_error' : 'invalid_request'
}

function send(reply: FastifyReply, status: number, body: AcpErrorBody): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(body)
}

/**
 * A JSON pointer of a platform error as an RFC 9535 JSONPath. The checkout's `/items/<i>` are the
 * cart's lines, in the order the session lists them as `line_items`.
 */
function jsonPathOf(pointer: string): string {
  const path = pointer.replace(/^\/items(?=\/|$)/, '/line_items')
  return path
    .split('/')
    .slice(1)
    .reduce((out, s) => (/^\d+$/.test(s) ? `${out}[${s}]` : `${out}.${s}`), '$')
}

function fromAppError(error: AppError, reply: FastifyReply): FastifyReply {
  const extra = error.extra ?? {}
  const status = typeof extra.status === 'number' ? extra.status : httpStatusOf(error.kind)
  if (status === 429 && typeof extra.retryAfter === 'number')
    reply.header('retry-after', String(extra.retryAfter))
  const param = typeof extra.param === 'string' ? extra.param : undefined
  const field = error.errors?.[0]
  return send(reply, status, {
    type: typeOf(status),
    code: ACP_CODES[error.code] ?? error.code,
    message: error.detail ?? error.title,
    ...(param ? { param } : {}),
    ...(!param && field ? { param: jsonPathOf(field.path) } : {}),
    ...(error.code.endsWith('api_version') ? { supported_versions: [ACP_VERSION] } : {}),
  })
}

/** Every failure under /acp as the spec's error object; a 5xx never shows its message. */
export function acpErrorHandler(
  error: FastifyError | AppError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (isAppError(error)) return fromAppError(error, reply)
  if (error.validation) {
    const first = error.validation[0]
    const param = jsonPathOf(first?.instancePath ?? '')
    return send(reply, 400, {
      type: 'invalid_request',
      code: 'invalid',
      message: `${error.validationContext ?? 'request'} ${first?.message ?? 'is invalid'}`,
      param,
    })
  }
  if (isDatabaseUnavailable(error)) {
    reply.header('retry-after', '5')
    return send(reply, 503, {
      type: 'service_unavailable',
      code: 'service_unavailable',
      message: 'A backing service is unreachable. Retry later.',
    })
  }
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
  if (status < 500) {
    const malformed = error.code?.startsWith('FST_ERR_CTP')
    return send(reply, status, {
      type: 'invalid_request',
      code: malformed ? 'invalid_body' : 'bad_request',
      message: error.message,
    })
  }
  request.log.error({ err: error }, 'unhandled error')
  return send(reply, status, {
    type: typeOf(status),
    code: 'internal_error',
    message: 'An unexpected error occurred. Quote the Request-Id when reporting it.',
  })
}
