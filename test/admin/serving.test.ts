import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import Fastify from 'fastify'
import { adminApiTypes, TYPES_FILE } from '../../scripts/generate-admin-api.js'
import { ADMIN_DIST_DIR, registerAdminDashboard } from '../../src/platform/http/admin-dashboard.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { ensureDashboardBuilt } from './support.js'

let ctx: TestContext

before(async () => {
  ensureDashboardBuilt()
  ctx = await createTestContext()
})
after(async () => {
  await ctx.close()
})

describe('the dashboard served at /admin', () => {
  test('index.html is revalidated on every load and carries a same-origin-only CSP', async () => {
    for (const url of ['/admin', '/admin/', '/admin/orders/ord_123']) {
      const res = await ctx.app.inject({ method: 'GET', url })
      assert.equal(res.statusCode, 200, url)
      assert.match(String(res.headers['content-type']), /^text\/html/)
      assert.equal(res.headers['cache-control'], 'no-cache')
      assert.match(res.body, /<div id="root"><\/div>/)
      const csp = String(res.headers['content-security-policy'])
      assert.match(csp, /script-src 'self'(;|$)/)
      assert.match(csp, /style-src 'self'(;|$)/)
      assert.match(csp, /connect-src 'self'(;|$)/)
      assert.doesNotMatch(csp, /unsafe-inline|https:/)
    }
  })

  test('hashed assets are cached for a year; a missing asset is a 404, not the page', async () => {
    const [script] = readdirSync(path.join(ADMIN_DIST_DIR, 'assets')).filter((f) =>
      f.endsWith('.js'),
    )
    const res = await ctx.app.inject({ method: 'GET', url: `/admin/assets/${script}` })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /javascript/)
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable')
    const missing = await ctx.app.inject({ method: 'GET', url: '/admin/assets/index-nothere.js' })
    assert.equal(missing.statusCode, 404)
  })

  test('the API keeps its own CSP and the dashboard is not in the OpenAPI document', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/livez' })
    assert.notEqual(res.headers['content-security-policy'], undefined)
    assert.doesNotMatch(String(res.headers['content-security-policy']), /connect-src/)
    const paths = Object.keys((ctx.app.swagger() as { paths: object }).paths)
    assert.equal(paths.filter((p) => p.startsWith('/admin')).length, 0)
  })

  test('without a build, /admin says how to build it', async () => {
    const app = Fastify()
    await registerAdminDashboard(app, mkdtempSync(path.join(tmpdir(), 'no-admin-build-')))
    for (const url of ['/admin', '/admin/products']) {
      const res = await app.inject({ method: 'GET', url })
      assert.equal(res.statusCode, 503)
      assert.match(res.body, /npm run admin:build/)
    }
    await app.close()
  })

  test("the dashboard's API types match the app's OpenAPI document (npm run admin:api)", async () => {
    assert.equal(await adminApiTypes(ctx.app.swagger()), readFileSync(TYPES_FILE, 'utf8'))
  })
})
