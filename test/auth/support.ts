import type { TestContext } from '../helpers/context.js'
import { uniqueSuffix } from '../helpers/context.js'

export interface Credentials {
  email: string
  password: string
  name: string
}

export function newCredentials(label = 'user'): Credentials {
  const suffix = uniqueSuffix()
  return {
    email: `${label}-${suffix}@example.test`,
    password: `correct horse battery ${suffix}`,
    name: `Ada ${suffix}`,
  }
}

export function register(ctx: TestContext, body: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/v1/auth/register', payload: body })
}

export function login(ctx: TestContext, body: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: body })
}

export function getMe(ctx: TestContext, token?: string) {
  return ctx.app.inject({
    method: 'GET',
    url: '/v1/me',
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  })
}

/** Registers a customer and signs in: returns the access token and the user's id. */
export async function signedInCustomer(
  ctx: TestContext,
): Promise<{ token: string; userId: string }> {
  const credentials = newCredentials('customer')
  const created = await register(ctx, { ...credentials })
  if (created.statusCode !== 201) throw new Error(`register failed: ${created.body}`)
  const res = await login(ctx, { email: credentials.email, password: credentials.password })
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`)
  const body = res.json() as { accessToken: string; user: { id: string } }
  return { token: body.accessToken, userId: body.user.id }
}
