import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql'
import type { MercuriusContext } from 'mercurius'
import { isDatabaseUnavailable } from '../db/errors.js'
import { isAppError } from '../errors.js'
import { httpStatusOf } from '../http/problems.js'

/** A limit or shape error raised before execution, with the code the API names. */
export function requestError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } })
}

/** Mercurius wraps parse, validation and depth failures in one error carrying `errors`. */
function unwrap(error: GraphQLError): GraphQLError[] {
  const original = error.originalError as { code?: string; errors?: unknown } | undefined
  const inner = original?.code === 'MER_ERR_GQL_VALIDATION' ? original.errors : undefined
  if (!Array.isArray(inner)) return [error]
  return inner.map((e) => (e instanceof GraphQLError ? e : new GraphQLError(String(e))))
}

const PERSISTED_QUERY_CODES: Record<string, string> = {
  MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  MER_ERR_GQL_PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  MER_ERR_GQL_PERSISTED_QUERY_MISMATCH: 'PERSISTED_QUERY_MISMATCH',
}

interface Formatted {
  error: GraphQLFormattedError
  /** The HTTP status this error would give the whole reply when nothing executed. */
  status: number
}

function format(error: GraphQLError, log: MercuriusContext['app']['log']): Formatted {
  const where = {
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
  }
  const original = error.originalError
  if (isAppError(original)) {
    const { retryAfter, ...extra } = original.extra ?? {}
    return {
      status: httpStatusOf(original.kind),
      error: {
        message: original.detail ?? original.title,
        ...where,
        extensions: {
          code: original.code,
          ...extra,
          ...(typeof retryAfter === 'number' ? { retryAfter } : {}),
          ...(original.errors?.length ? { errors: original.errors } : {}),
        },
      },
    }
  }
  // Parse and validation errors, bad variables, our limits: all about the request, all safe.
  const aboutTheRequest =
    !original ||
    original instanceof GraphQLError ||
    (original as { code?: string }).code === 'MER_ERR_GQL_VALIDATION' ||
    // Coercing a variable's value fails with a TypeError under graphql-js's own message.
    (error.path === undefined && error.message.startsWith('Variable "$'))
  if (aboutTheRequest) {
    const code = (error.extensions?.code as string | undefined) ?? 'validation_failed'
    return { status: 400, error: { message: error.message, ...where, extensions: { code } } }
  }
  const persisted = PERSISTED_QUERY_CODES[(original as { code?: string }).code ?? '']
  if (persisted) {
    // The codes and messages Apollo's APQ link looks for to resend the query with its hash.
    return { status: 200, error: { message: persisted, extensions: { code: persisted } } }
  }
  if ((original as { code?: string }).code === 'MER_ERR_METHOD_NOT_ALLOWED') {
    return {
      status: 405,
      error: {
        message: 'Mutations are sent with POST.',
        extensions: { code: 'method_not_allowed' },
      },
    }
  }
  if (isDatabaseUnavailable(original)) {
    log.warn({ err: original }, 'database unavailable during a GraphQL operation')
    return {
      status: 503,
      error: {
        message: 'The store is briefly unavailable; retry shortly.',
        ...where,
        extensions: { code: 'unavailable' },
      },
    }
  }
  log.error({ err: original }, 'unhandled error in a GraphQL operation')
  return {
    status: 500,
    error: {
      message: 'An unexpected error occurred. Quote the request id when reporting it.',
      ...where,
      extensions: { code: 'internal_error' },
    },
  }
}

/**
 * An error as a subscription sends it: Mercurius sends what a subscription's start throws without
 * the formatter, so it is formatted here first (same message and `extensions.code`).
 */
export function formattedError(error: unknown, log: MercuriusContext['app']['log']): GraphQLError {
  const graphqlError =
    error instanceof GraphQLError
      ? error
      : new GraphQLError(error instanceof Error ? error.message : String(error), {
          originalError: error instanceof Error ? error : undefined,
        })
  const { message, extensions } = format(graphqlError, log).error
  return new GraphQLError(message, { extensions })
}

/**
 * Mercurius's error formatter: each error carries `extensions.code` (the REST problem's `code`,
 * or `validation_failed` / `query_too_complex` / `internal_error`) and nothing internal. A reply
 * with data is 200 (its errors sit beside it); one where nothing ran (a bad request, a refused
 * credential, a limit) takes the HTTP status REST would give.
 */
export function formatExecution(
  execution: ExecutionResult & { statusCode?: number },
  context: MercuriusContext,
): { statusCode: number; response: ExecutionResult } {
  const log = context.reply ? context.reply.log : context.app.log
  const formatted = (execution.errors ?? []).flatMap(unwrap).map((e) => format(e, log))
  const ran = execution.data !== undefined && execution.data !== null
  const first = formatted[0]
  const requestLevel = !ran && first !== undefined && first.error.path === undefined
  return {
    statusCode: requestLevel ? first.status : 200,
    response: {
      data: execution.data ?? null,
      errors: formatted.map((f) => f.error) as unknown as GraphQLError[],
    },
  }
}
