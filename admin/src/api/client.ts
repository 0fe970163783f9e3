import createClient from 'openapi-fetch'
import type { components, paths } from './schema'
import { session } from '../auth/session'

export type Schemas = components['schemas']
export type Order = Schemas['Order']
export type AdminProduct = Schemas['AdminProduct']
/** One entry of what a list route answers (`GET`, `{ data: [...], page }`). */
export type ListRow<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': { data: (infer R)[] } } } } }
}
  ? R
  : never

/** An RFC 9457 problem the API answered, thrown so that queries and mutations fail with it. */
export class ApiProblem extends Error {
  readonly status: number
  readonly code: string | undefined
  readonly errors: { path: string; message: string }[]
  constructor(status: number, body: unknown) {
    const problem = (body ?? {}) as {
      title?: string
      detail?: string
      code?: string
      errors?: { path: string; message: string }[]
    }
    super(problem.detail ?? problem.title ?? `The server answered ${status}.`)
    this.status = status
    this.code = problem.code
    this.errors = problem.errors ?? []
  }
}

/**
 * fetch with the access token (kept in memory only). A 401 on a signed-in call refreshes the
 * session once through the refresh cookie and repeats the call; if that fails the session ends.
 */
async function authorizedFetch(request: Request): Promise<Response> {
  const retry = request.clone()
  const token = session.accessToken()
  if (token) request.headers.set('authorization', `Bearer ${token}`)
  const response = await fetch(request)
  if (response.status !== 401 || !token || request.url.includes('/v1/auth/')) return response
  const fresh = await session.refresh()
  if (!fresh) return response
  retry.headers.set('authorization', `Bearer ${fresh}`)
  return fetch(retry)
}

export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: authorizedFetch })

/** The data of a successful call, or an ApiProblem thrown with the API's `detail`. */
export async function must<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call
  if (!response.ok) throw new ApiProblem(response.status, error)
  return data as T
}
