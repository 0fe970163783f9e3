import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { problem } from './support.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe(`HTTP platform on ${engine}`, () => {
  let ctx: TestContext

  before(async () => {
    ctx = await createTestContext()
  })
  after(async () => {
    await ctx.close()
  })

  describe('X-Request-Id', () => {
    test('a well-formed incoming id is echoed', async () => {
      const res = await ctx.app.inject({
        method: 'GET',
        url: '/livez',
        headers: { 'x-request-id': 'req-123.abc:XYZ' },
      })
      assert.equal(res.headers['x-request-id'], 'req-123.abc:XYZ')
    })

    test('without one, a uuid is generated, and each request gets its own', async () => {
      const ids = await Promise.all(
        [1, 2].map(async () => {
          const res = await ctx.app.inject({ method: 'GET', url: '/livez' })
          return String(res.headers['x-request-id'])
        }),
      )
      for (const id of ids) assert.match(id, UUID)
      assert.equal(new Set(ids).size, 2)
    })

    for (const [label, value] of [
      ['too long', 'a'.repeat(300)],
      ['with forbidden characters', 'id with spaces<script>'],
    ] as const) {
      test(`an incoming id ${label} is replaced by a uuid`, async () => {
        const res = await ctx.app.inject({
          method: 'GET',
          url: '/livez',
          headers: { 'x-request-id': value },
        })
        assert.match(String(res.headers['x-request-id']), UUID)
      })
    }

    test('error replies carry it too, in the header and the problem body', async () => {
      const res = await ctx.app.inject({
        method: 'GET',
        url: '/nowhere',
        headers: { 'x-request-id': 'trace-me-1' },
      })
      const body = problem(res, 404, 'route_not_found')
      assert.equal(body.requestId, 'trace-me-1')
    })
  })

  describe('traceparent', () => {
    test('a valid header is honoured: its trace id is on the request log line', async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
      const res = await ctx.app.inject({
        method: 'GET',
        url: '/v1/products?limit=1',
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': 'traced-1' },
      })
      assert.equal(res.statusCode, 200, res.body)
      const line = ctx.logs.find((l) => l.msg === 'request' && l.requestId === 'traced-1')
      assert.ok(line, 'the request is logged')
      assert.equal(line.trace_id, traceId)
      assert.equal(line.status, 200)
      assert.equal(line.route, '/v1/products')
    })

    test('a malformed header breaks nothing', async () => {
      const res = await ctx.app.inject({
        method: 'GET',
        url: '/v1/products?limit=1',
        headers: { traceparent: 'garbage', 'x-request-id': 'traced-2' },
      })
      assert.equal(res.statusCode, 200, res.body)
      const line = ctx.logs.find((l) => l.msg === 'request' && l.requestId === 'traced-2')
      assert.equal(line?.trace_id, undefined)
    })
  })

  test('security headers are set by helmet', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/products' })
    assert.equal(res.headers['x-content-type-options'], 'nosniff')
    assert.ok(res.headers['strict-transport-security'])
    assert.ok(res.headers['content-security-policy'])
    assert.equal(res.headers['x-powered-by'], undefined)
  })

  test('without CORS_ORIGINS no origin is allowed', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/v1/products',
      headers: { origin: 'https://shop.example' },
    })
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['access-control-allow-origin'], undefined)
  })

  describe('health', () => {
    test('/livez answers 200', async () => {
      const res = await ctx.app.inject({ method: 'GET', url: '/livez' })
      assert.equal(res.statusCode, 200)
      assert.deepEqual(res.json(), { status: 'ok' })
    })

    test('/readyz answers 200 when the database is reachable', async () => {
      const res = await ctx.app.inject({ method: 'GET', url: '/readyz' })
      assert.equal(res.statusCode, 200, res.body)
      assert.deepEqual(res.json(), { status: 'ok', checks: { database: 'ok' } })
    })

    test('/readyz answers 503 shutting_down while the process drains', async () => {
      const draining = await ctx.runtime.buildApp({ isShuttingDown: () => true })
      try {
        const ready = await draining.inject({ method: 'GET', url: '/readyz' })
        problem(ready, 503, 'shutting_down')
        const live = await draining.inject({ method: 'GET', url: '/livez' })
        assert.equal(live.statusCode, 200)
      } finally {
        await draining.close()
      }
    })
  })

  describe('/openapi.json', () => {
    test('is a valid OpenAPI 3.1 document', { timeout: 30_000 }, async () => {
      const res = await ctx.app.inject({ method: 'GET', url: '/openapi.json' })
      assert.equal(res.statusCode, 200)
      const doc = res.json() as Record<string, unknown>
      assert.match(String(doc.openapi), /^3\.1\./)

      const result = await new Validator().validate(doc)
      assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2))
    })

    test('lists the store and admin product endpoints, and hides operations routes', async () => {
      const res = await ctx.app.inject({ method: 'GET', url: '/openapi.json' })
      const paths = (res.json() as { paths: Record<string, Record<string, unknown>> }).paths
      assert.ok(paths['/v1/products']?.get, 'GET /v1/products')
      assert.ok(paths['/v1/admin/products']?.post, 'POST /v1/admin/products')
      assert.ok(paths['/v1/admin/products/{id}']?.patch, 'PATCH /v1/admin/products/{id}')
      for (const hidden of ['/livez', '/readyz', '/openapi.json', '/graphql', '/mcp']) {
        assert.equal(paths[hidden], undefined, `${hidden} is not documented`)
      }
    })
  })
})

describe(`CORS with CORS_ORIGINS on ${engine}`, () => {
  let ctx: TestContext

  before(async () => {
    ctx = await createTestContext({ CORS_ORIGINS: 'https://shop.example' })
  })
  after(async () => {
    await ctx.close()
  })

  test('an allowed origin is answered with access-control-allow-origin', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/v1/products',
      headers: { origin: 'https://shop.example' },
    })
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['access-control-allow-origin'], 'https://shop.example')
    assert.equal(res.headers['access-control-allow-credentials'], 'true')
    assert.match(String(res.headers['access-control-expose-headers']), /X-Request-Id/i)
  })

  test('another origin gets no access-control-allow-origin', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/v1/products',
      headers: { origin: 'https://evil.example' },
    })
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['access-control-allow-origin'], undefined)
  })

  test('a preflight from the allowed origin succeeds', async () => {
    const res = await ctx.app.inject({
      method: 'OPTIONS',
      url: '/v1/admin/products',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    })
    assert.equal(res.statusCode, 204, res.body)
    assert.equal(res.headers['access-control-allow-origin'], 'https://shop.example')
    assert.match(String(res.headers['access-control-allow-methods']), /POST/)
  })
})
