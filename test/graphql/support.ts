import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import type { TestContext } from '../helpers/context.js'

export interface GraphqlError {
  message: string
  path?: (string | number)[]
  extensions: { code: string; [key: string]: unknown }
}

export interface GraphqlReply<T = Record<string, unknown>> {
  status: number
  data: T | null
  errors: GraphqlError[] | undefined
  response: LightMyRequestResponse
}

/**
 * One GraphQL operation over `POST /graphql` (as a client sends it), signed in with `token` when
 * given; `headers` adds X-Cart-Token / X-Order-Token and the like.
 */
export async function gql<T = Record<string, unknown>>(
  ctx: TestContext,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<GraphqlReply<T>> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    payload: { query, variables },
  })
  const body = response.json() as { data?: T | null; errors?: GraphqlError[] }
  return { status: response.statusCode, data: body.data ?? null, errors: body.errors, response }
}

/** The data of an operation that must succeed (fails the test with its errors otherwise). */
export async function gqlData<T = Record<string, unknown>>(
  ...args: Parameters<typeof gql>
): Promise<T> {
  const reply = await gql<T>(...args)
  assert.equal(reply.errors, undefined, JSON.stringify(reply.errors))
  assert.equal(reply.status, 200)
  return reply.data as T
}

/** The `extensions.code` of an operation's first error. */
export async function gqlErrorCode(...args: Parameters<typeof gql>): Promise<string | undefined> {
  return (await gql(...args)).errors?.[0]?.extensions.code
}
