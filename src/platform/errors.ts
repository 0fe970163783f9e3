/**
 * The kinds of failure a service can report. Transports map a kind to their own vocabulary
 * (HTTP status, GraphQL extension); services never know about HTTP.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'payment_required'
  | 'rate_limited'
  | 'unavailable'

export interface FieldError {
  path: string
  message: string
}

export interface AppErrorInit {
  kind: ErrorKind
  /** Stable snake_case code: part of the public API. */
  code: string
  title: string
  detail?: string
  errors?: FieldError[]
  /** Extra public members of the problem document. */
  extra?: Record<string, unknown>
}

/** The one error type every module throws; `code` is stable, `detail` is safe to show. */
export class AppError extends Error {
  readonly kind: ErrorKind
  readonly code: string
  readonly title: string
  readonly detail: string | undefined
  readonly errors: FieldError[] | undefined
  readonly extra: Record<string, unknown> | undefined

  constructor(init: AppErrorInit) {
    super(init.detail ?? init.title)
    this.name = 'AppError'
    this.kind = init.kind
    this.code = init.code
    this.title = init.title
    this.detail = init.detail
    this.errors = init.errors
    this.extra = init.extra
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}

/** Errors shared by every module. */
export const CommonErrors = {
  validation: (errors: FieldError[], detail = 'The request is not valid.') =>
    new AppError({
      kind: 'validation',
      code: 'validation_failed',
      title: 'Invalid request',
      detail,
      errors,
    }),
  invalidCursor: () =>
    new AppError({
      kind: 'validation',
      code: 'invalid_cursor',
      title: 'Invalid cursor',
      detail: 'The cursor is malformed or belongs to another sort order.',
      errors: [{ path: '/cursor', message: 'unknown cursor' }],
    }),
  staleVersion: () =>
    new AppError({
      kind: 'precondition_failed',
      code: 'precondition_failed',
      title: 'Precondition failed',
      detail: 'The resource has changed since the ETag given in If-Match.',
    }),
}
