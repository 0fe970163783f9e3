import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { signedInCustomer } from '../auth/support.js'
import { cartWith, checkout, stockedVariant } from '../checkout/support.js'

/**
 * No IDOR: every route under /v1/me and /v1/orders that takes an id is tried with another
 * customer's id, and must answer 404 and change nothing. The routes come from the OpenAPI
 * document, so a new route with an id fails here until this file says how to make one.
 */
let ctx: TestContext

before(async () => {
  ctx = await createTestContext()
})
after(() => ctx.close())

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

const ADDRESS = {
  name: 'Victim',
  line1: '1 Main St',
  city: 'Paris',
  postalCode: '75001',
  country: 'FR',
}

/** For each id-bearing route: how the victim gets a resource, and a body for writes. */
const RESOURCES: Record<string, { create: (token: string) => Promise<string>; body?: object }> = {
  '/v1/me/addresses/{id}': {
    create: async (token) => {
      const res = await call('POST', '/v1/me/addresses', token, ADDRESS)
      assert.equal(res.statusCode, 201, res.body)
      return (res.json() as { id: string }).id
    },
    body: { city: 'Hijacked' },
  },
  '/v1/me/sessions/{id}': {
    create: async (token) => {
      const res = await call('GET', '/v1/me/sessions', token)
      return (res.json() as { data: { id: string }[] }).data[0]!.id
    },
  },
  '/v1/me/wishlist/items/{itemId}': {
    create: async (token) => {
      const productId = (await createProduct(ctx, await ctx.tokenFor('staff'))).id
      const res = await call('POST', '/v1/me/wishlist/items', token, { productId })
      assert.equal(res.statusCode, 201, res.body)
      return (res.json() as { id: string }).id
    },
  },
  '/v1/orders/{id}': { create: paidOrder },
  '/v1/orders/{id}/cancel': { create: paidOrder },
  '/v1/orders/{id}/events': { create: paidOrder },
}

/** A paid order of the customer's own. */
async function paidOrder(token: string): Promise<string> {
  const variantId = await stockedVariant(ctx, await ctx.tokenFor('staff'), 5)
  const res = await checkout(ctx, await cartWith(ctx, [{ variantId, quantity: 1 }], token))
  assert.equal(res.statusCode, 201, res.body)
  return (res.json() as { order: { id: string } }).order.id
}

/** Where the victim checks the resource is still theirs and unchanged. */
function ownUrl(path: string, url: string): string {
  if (path.startsWith('/v1/me/sessions')) return '/v1/me/sessions'
  if (path.startsWith('/v1/me/wishlist/')) return '/v1/me/wishlist'
  if (path.startsWith('/v1/orders/{id}/')) return url.slice(0, url.lastIndexOf('/'))
  return url
}

function call(method: Method, url: string, token: string, payload?: object) {
  return ctx.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  })
}

async function idRoutes(): Promise<{ path: string; method: Method }[]> {
  const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>
  }
  return (
    Object.entries(doc.paths)
      .filter(([path]) => /^\/v1\/(me|orders)\b/.test(path) && path.includes('{'))
      // `{provider}` names a configured sign-in provider, not a resource: the route acts on the
      // caller's own links only (test/auth/oidc.test.ts).
      .filter(([path]) => path !== '/v1/me/identities/{provider}')
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => ({ path, method: m.toUpperCase() as Method })),
      )
  )
}

test("another customer's ids answer 404 on every /v1/me and /v1/orders route, and change nothing", async () => {
  const victim = await signedInCustomer(ctx)
  const attacker = await signedInCustomer(ctx)
  const routes = await idRoutes()
  assert.ok(routes.length >= 3, `found ${routes.length} id routes`)
  for (const { path, method } of routes) {
    const resource = RESOURCES[path]
    assert.ok(resource, `${method} ${path}: add it to RESOURCES in this test`)
    const id = await resource.create(victim.token)
    const url = path.replace(/\{\w+\}/, id)
    const writes = method === 'PATCH' || method === 'PUT' || method === 'POST'
    const res = await call(method, url, attacker.token, writes ? resource.body : undefined)
    assert.equal(res.statusCode, 404, `${method} ${url} as another customer: ${res.body}`)
    const own = await call('GET', ownUrl(path, url), victim.token)
    assert.equal(own.statusCode, 200, `${method} ${url}: the victim still has it`)
    if (path === '/v1/me/addresses/{id}')
      assert.equal((own.json() as { city: string }).city, 'Paris')
    if (path.startsWith('/v1/orders/'))
      assert.equal((own.json() as { status: string }).status, 'paid')
    if (path.startsWith('/v1/me/wishlist/'))
      assert.ok((own.json() as { data: { id: string }[] }).data.some((i) => i.id === id))
    if (path === '/v1/me/sessions/{id}') {
      assert.ok((own.json() as { data: { id: string }[] }).data.some((s) => s.id === id))
    }
  }
})
