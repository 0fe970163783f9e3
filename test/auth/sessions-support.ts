import type { TestContext } from '../helpers/context.js'
import { newCredentials, register, type Credentials } from './support.js'

export interface SignedIn {
  accessToken: string
  refreshToken: string
  userId: string
}

/** A new customer account; returns its credentials and id. */
export async function newCustomer(ctx: TestContext): Promise<Credentials & { id: string }> {
  const credentials = newCredentials('session')
  const res = await register(ctx, { ...credentials })
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.body}`)
  return { ...credentials, id: (res.json() as { user: { id: string } }).user.id }
}

/** Signs in (a new session) with an optional user agent. */
export async function signIn(
  ctx: TestContext,
  user: Credentials,
  userAgent = 'test-agent',
): Promise<SignedIn> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    headers: { 'user-agent': userAgent },
    payload: { email: user.email, password: user.password },
  })
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`)
  const body = res.json() as { accessToken: string; refreshToken: string; user: { id: string } }
  return { accessToken: body.accessToken, refreshToken: body.refreshToken, userId: body.user.id }
}

export function refresh(ctx: TestContext, body: Record<string, unknown>, headers = {}) {
  return ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: body, headers })
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` }
}

export function call(
  ctx: TestContext,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  token?: string,
  payload?: Record<string, unknown>,
) {
  return ctx.app.inject({
    method,
    url,
    headers: token ? bearer(token) : {},
    ...(payload ? { payload } : {}),
  })
}
