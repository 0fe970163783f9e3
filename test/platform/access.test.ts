import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { buildHttpApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import type { Access } from '../../src/platform/http/access.js'
import type { ModuleRuntime, RoutePlugin } from '../../src/platform/module.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { problem } from './support.js'

/** An app with one extra module that registers a single route with the given access rule. */
function appWithRoute(url: string, access: Access | undefined): Promise<FastifyInstance> {
  const module: ModuleRuntime = {
    name: 'probe',
    routes: async (app) => {
      app.get(url, { config: access === undefined ? {} : { access } }, async () => ({ ok: true }))
    },
  }
  return buildHttpApp({
    config: loadConfig({}),
    logger: createLogger('silent'),
    modules: [module],
    authenticate: async () => {
      throw new Error('no credentials in this test')
    },
    readiness: [],
  })
}

describe('every /v1 route declares its access rule', () => {
  const refused: [string, string, Access | undefined, RegExp][] = [
    [
      'a /v1 route without a rule',
      '/v1/probe',
      undefined,
      /GET \/v1\/probe declares no access rule/,
    ],
    ['an admin route without a rule', '/v1/admin/probe', undefined, /declares no access rule/],
    [
      'an admin route that is merely public',
      '/v1/admin/probe',
      'public',
      /must require a permission/,
    ],
    [
      'an admin route open to any signed-in user',
      '/v1/admin/probe',
      'authenticated',
      /must require a permission/,
    ],
  ]
  for (const [label, url, access, message] of refused) {
    test(`the app refuses to build with ${label}`, async () => {
      await assert.rejects(appWithRoute(url, access), message)
    })
  }

  const accepted: [string, string, Access | undefined][] = [
    ['a public /v1 route', '/v1/probe', 'public'],
    ['an admin route that names a permission', '/v1/admin/probe', { permission: 'catalog:read' }],
    ['a route outside /v1 without a rule', '/probe', undefined],
  ]
  for (const [label, url, access] of accepted) {
    test(`the app builds with ${label}`, async () => {
      const app = await appWithRoute(url, access)
      await app.close()
    })
  }
})

describe(`the real app's admin routes on ${engine}`, () => {
  let ctx: TestContext
  let customer: string
  const routes: RouteOptions[] = []

  const collectingRoutes = (plugin: RoutePlugin | undefined): RoutePlugin | undefined =>
    plugin &&
    (async (app) => {
      app.addHook('onRoute', (route) => void routes.push(route))
      await plugin(app)
    })

  before(async () => {
    ctx = await createTestContext()
    customer = await ctx.tokenFor('customer')
    // Rebuild the HTTP surface with every module's routes wrapped, to see each route as declared.
    const collecting = ctx.runtime.modules.runtimes.map((m): ModuleRuntime => ({
      ...m,
      routes: collectingRoutes(m.routes),
    }))
    const app = await buildHttpApp({
      config: ctx.config,
      logger: createLogger('silent'),
      modules: collecting,
      authenticate: ctx.runtime.modules.auth.authenticate,
      readiness: [],
    })
    await app.close()
  })
  after(async () => {
    await ctx.close()
  })

  function adminRoutes(): { method: string; url: string; permission: string }[] {
    return routes
      .filter((r) => r.url.startsWith('/v1/admin'))
      .flatMap((r) =>
        [r.method].flat().map((method) => ({
          method,
          url: r.url.replace(/:(\w+)/g, (_, name: string) => `dummy_${name}`),
          permission: (r.config?.access as { permission: string }).permission,
        })),
      )
      .filter((r) => r.method !== 'HEAD')
  }

  test('the modules register admin routes, each naming a permission', () => {
    const admin = adminRoutes()
    assert.ok(admin.length >= 5, `found ${admin.length} admin routes`)
    assert.ok(admin.some((r) => r.method === 'POST' && r.url === '/v1/admin/products'))
    for (const r of admin) assert.match(r.permission, /^[a-z_]+:[a-z_]+$/, `${r.method} ${r.url}`)
    for (const r of routes.filter((r) => r.url.startsWith('/v1'))) {
      assert.ok(r.config?.access, `${String(r.method)} ${r.url} declares access`)
    }
  })

  test('every admin route answers 401 with WWW-Authenticate without a token', async () => {
    for (const { method, url } of adminRoutes()) {
      const res = await ctx.app.inject({ method: method as 'GET', url, payload: {} })
      problem(res, 401, 'unauthenticated')
      assert.match(String(res.headers['www-authenticate']), /^Bearer /, `${method} ${url}`)
    }
  })

  test('every admin route answers 403 to a customer', async () => {
    for (const { method, url, permission } of adminRoutes()) {
      const res = await ctx.app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${customer}` },
        payload: {},
      })
      const body = problem(res, 403, 'forbidden')
      assert.match(String(body.detail), new RegExp(permission), `${method} ${url}`)
    }
  })

  test('an invalid token is a 401 invalid_token, not a 403', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/v1/admin/products',
      headers: { authorization: 'Bearer not-a-token' },
    })
    assert.equal(res.statusCode, 401, res.body)
    assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/)
  })
})
