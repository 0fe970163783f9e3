import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isDatabaseUnavailable } from '../db/errors.js'
import { type AppError, isAppError, type ErrorKind, type FieldError } from '../errors.js'
import { degraded } from '../telemetry/degraded.js'
import type { Problem } from './schemas.js'

const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
}

/** The HTTP status of a service error's kind. */
export function httpStatusOf(kind: ErrorKind): number {
  return STATUS[kind]
}

/** Fastify's own errors, by code, as our problems. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; title: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    title: 'Payload too large',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    title: 'Unsupported media type',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'malformed_request',
    title: 'Bad request',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', title: 'Malformed JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', title: 'Malformed JSON' },
}

export function problemType(code: string): string {
  return `urn:emporium:problem:${code}`
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  fields: {
    code: string
    title: string
    detail?: string | undefined
    errors?: FieldError[] | undefined
  } & Record<string, unknown>,
): FastifyReply {
  const { code, title, detail, errors, ...extra } = fields
  const body: Problem = {
    ...extra,
    type: problemType(code),
    title,
    status,
    ...(detail ? { detail } : {}),
    instance: request.url.split('?')[0] ?? request.url,
    code,
    requestId: request.id,
    ...(errors && errors.length > 0 ? { errors } : {}),
  }
  return reply.code(status).type('application/problem+json').send(body)
}

function validationErrors(error: FastifyError): FieldError[] {
  const part =
    error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body')
  return (error.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string }).missingProperty
    const extra = (v.params as { additionalProperty?: string }).additionalProperty
    const leaf = missing ?? extra
    const path = `/${part}${v.instancePath}${leaf ? `/${leaf}` : ''}`
    return { path, message: extra ? 'is not a known field' : (v.message ?? 'is invalid') }
  })
}

/** Turns any error into an RFC 9457 reply; a 5xx never shows its message. */
export function problemErrorHandler(
  error: FastifyError | AppError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (isAppError(error)) {
    const status = STATUS[error.kind]
    // A service says how long to wait (a lockout, a quota); HTTP says it with Retry-After.
    const retryAfter = error.extra?.retryAfter
    if (status === 429 && typeof retryAfter === 'number')
      reply.header('retry-after', String(retryAfter))
    if (status === 401 && !reply.hasHeader('www-authenticate')) {
      reply.header('www-authenticate', 'Bearer realm="emporium"')
    }
    return sendProblem(request, reply, status, {
      ...error.extra,
      code: error.code,
      title: error.title,
      detail: error.detail,
      errors: error.errors,
    })
  }
  if (error.validation) {
    return sendProblem(request, reply, 400, {
      code: 'validation_failed',
      title: 'Invalid request',
      detail: 'The request does not match the schema.',
      errors: validationErrors(error),
    })
  }
  const known = error.code ? FASTIFY_ERRORS[error.code] : undefined
  if (known) return sendProblem(request, reply, known.status, { ...known, detail: error.message })

  if (isDatabaseUnavailable(error)) return databaseUnavailable(request, reply, error)
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
  if (status < 500) {
    const code = error.code?.startsWith('FST_')
      ? 'bad_request'
      : (error.code ?? 'bad_request').toLowerCase()
    return sendProblem(request, reply, status, {
      code,
      title: 'Request failed',
      detail: error.message,
    })
  }
  request.log.error({ err: error }, 'unhandled error')
  if (status === 503) {
    return sendProblem(request, reply, 503, { code: 'unavailable', title: 'Service unavailable' })
  }
  return sendProblem(request, reply, 500, {
    code: 'internal_error',
    title: 'Internal server error',
    detail: 'An unexpected error occurred. Quote the request id when reporting it.',
  })
}

/** Seconds a client is asked to wait when the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5

/** The database cannot be reached: 503 with Retry-After, never the driver's message. */
function databaseUnavailable(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
): FastifyReply {
  degraded('databaseUnavailable', request.log, 'database unreachable: answering 503', error)
  reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
  return sendProblem(request, reply, 503, {
    code: 'service_unavailable',
    title: 'Service unavailable',
    detail: 'A backing service is unreachable. Retry later.',
  })
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler(problemErrorHandler)
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 404, {
      code: 'route_not_found',
      title: 'Not found',
      detail: `No route ${request.method} ${request.url.split('?')[0]}`,
    }),
  )
}
