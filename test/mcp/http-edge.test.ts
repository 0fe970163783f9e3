import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { call, connectAgent, refusal } from './support.js'

const MCP_HEADERS = {
  accept: 'application/json, text/event-stream',
  'content-type': 'application/json',
  'mcp-protocol-version': '2025-06-18',
}
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1' },
  },
}

describe(`MCP server: the HTTP edge on ${engine}`, () => {
  let ctx: TestContext

  before(async () => {
    ctx = await createTestContext({ CORS_ORIGINS: 'https://shop.example', BODY_LIMIT: '4096' })
  })
  after(async () => {
    await ctx.close()
  })

  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method: 'POST',
      url: '/mcp',
      headers: { ...MCP_HEADERS, ...headers },
      payload: JSON.stringify(payload),
    })

  test('initialize answers JSON with the security headers and no session id', async () => {
    const res = await post(INITIALIZE)
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^application\/json/)
    assert.equal(res.headers['mcp-session-id'], undefined)
    assert.equal(res.headers['x-content-type-options'], 'nosniff')
    assert.ok(res.headers['content-security-policy'])
    assert.ok(res.headers['x-request-id'])
    assert.match(String(res.headers['ratelimit-policy']), /^"default";q=\d+;w=60$/)
    const body = res.json() as { result: { serverInfo: { name: string }; capabilities: object } }
    assert.equal(body.result.serverInfo.name, 'emporium')
    assert.deepEqual(Object.keys(body.result.capabilities).sort(), ['resources', 'tools'])
  })

  test("a signed-in caller's messages count against the user quota, a guest's against default", async () => {
    const customer = await ctx.tokenFor('customer')
    const signedIn = await post(INITIALIZE, { authorization: `Bearer ${customer}` })
    assert.equal(signedIn.statusCode, 200)
    assert.match(String(signedIn.headers['ratelimit-policy']), /^"user";q=\d+;w=60$/)
    const guest = await post(INITIALIZE)
    assert.match(String(guest.headers['ratelimit-policy']), /^"default";q=\d+;w=60$/)
  })

  test('an allowed origin gets CORS headers; any other origin is refused before the server', async () => {
    const allowed = await post(INITIALIZE, { origin: 'https://shop.example' })
    assert.equal(allowed.statusCode, 200)
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://shop.example')

    const preflight = await ctx.app.inject({
      method: 'OPTIONS',
      url: '/mcp',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, mcp-protocol-version',
      },
    })
    assert.equal(preflight.statusCode, 204)
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://shop.example')

    // On a loopback listener, pages on the loopback names (the server's own, a local storefront).
    const local = await post(INITIALIZE, { origin: 'http://localhost:5173' })
    assert.equal(local.statusCode, 200)

    const rebound = await post(INITIALIZE, { origin: 'http://attacker.example' })
    assert.equal(rebound.statusCode, 403)
    assert.equal(rebound.headers['access-control-allow-origin'], undefined)
    assert.deepEqual((rebound.json() as { error: { code: number } }).error.code, -32000)
  })

  test('on a loopback listener a Host naming another site is refused (DNS rebinding)', async () => {
    const rebound = await post(INITIALIZE, { host: 'attacker.example:3000' })
    assert.equal(rebound.statusCode, 403)
    assert.match((rebound.json() as { error: { message: string } }).error.message, /Host/)
    for (const host of ['localhost:3000', '127.0.0.1:8080', '[::1]:3000']) {
      assert.equal((await post(INITIALIZE, { host })).statusCode, 200, host)
    }
  })

  test('the body limit, JSON-only parsing and credential check of every route apply', async () => {
    const big = await post({ ...INITIALIZE, padding: 'x'.repeat(5000) })
    assert.equal(big.statusCode, 413)
    assert.equal((big.json() as { code: string }).code, 'payload_too_large')

    const text = await ctx.app.inject({
      method: 'POST',
      url: '/mcp',
      headers: { ...MCP_HEADERS, 'content-type': 'text/plain' },
      payload: 'hello',
    })
    assert.equal(text.statusCode, 415)

    const bogus = await post(INITIALIZE, { authorization: 'Bearer not-a-token' })
    assert.equal(bogus.statusCode, 401)
    assert.equal((bogus.json() as { code: string }).code, 'invalid_token')
  })

  test('stateless: GET and DELETE are 405', async () => {
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await ctx.app.inject({
        method,
        url: '/mcp',
        headers: { accept: MCP_HEADERS.accept },
      })
      assert.equal(res.statusCode, 405, method)
      assert.equal(res.headers.allow, 'POST')
    }
  })

  test('/mcp is not in the OpenAPI document, like /graphql', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/openapi.json' })
    const paths = (res.json() as { paths: Record<string, unknown> }).paths
    assert.equal(paths['/mcp'], undefined)
  })
})

describe(`MCP server: rate limits on ${engine}`, () => {
  let ctx: TestContext
  let base: string

  before(async () => {
    ctx = await createTestContext({ RATE_LIMIT_DEFAULT: '6/60' })
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  })
  after(async () => {
    await ctx.close()
  })

  test("a tool call past the caller's quota is a rate_limited tool error; REST shares the quota", async () => {
    // Connecting costs 3 of the 6: initialize, notifications/initialized, and the client's GET
    // for a server stream (answered 405): each message or request counts as one REST request.
    const agent = await connectAgent(base)
    try {
      for (let i = 0; i < 3; i++) await call(agent, 'create_cart', {})
      const problem = await refusal(agent, 'create_cart', {})
      assert.equal(problem.code, 'rate_limited')
      assert.equal(problem.status, 429)
      assert.ok(problem.retryAfter && problem.retryAfter > 0 && problem.retryAfter <= 60)

      // Other messages are refused at the edge with REST's 429.
      await assert.rejects(agent.listTools(), /429|rate/i)
      const rest = await ctx.app.inject({ method: 'POST', url: '/v1/carts', payload: {} })
      assert.equal(rest.statusCode, 429)
      assert.ok(rest.headers['retry-after'])
    } finally {
      await agent.close()
    }
  })

  test("a refused credential counts against the address's anonymous quota, as on REST", async () => {
    const attempt = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/mcp',
        remoteAddress: '192.0.2.7',
        headers: { ...MCP_HEADERS, authorization: 'Bearer forged' },
        payload: JSON.stringify(INITIALIZE),
      })
    for (let i = 0; i < 6; i++) assert.equal((await attempt()).statusCode, 401)
    const limited = await attempt()
    assert.equal(limited.statusCode, 429)
    assert.equal((limited.json() as { code: string }).code, 'rate_limited')
  })
})
