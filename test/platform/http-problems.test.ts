import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { problem } from './support.js'

describe(`HTTP errors as problem documents on ${engine}`, () => {
  let ctx: TestContext

  before(async () => {
    ctx = await createTestContext()
  })
  after(async () => {
    await ctx.close()
  })

  test('an unknown route is a 404 route_not_found problem naming the path', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/no-such-thing?x=1' })
    const body = problem(res, 404, 'route_not_found')
    assert.equal(body.instance, '/v1/no-such-thing')
    assert.equal(body.title, 'Not found')
  })

  test('a malformed JSON body is a 400 malformed_json', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.test", ',
    })
    const body = problem(res, 400, 'malformed_json')
    assert.equal(body.instance, '/v1/auth/login')
  })

  test('a body that is not JSON is a 415 unsupported_media_type', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'email=a@b.test',
    })
    problem(res, 415, 'unsupported_media_type')
  })

  test('an unknown body field is a 400 naming it by JSON pointer', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'a@b.test', password: 'whatever', extra: true },
    })
    const body = problem(res, 400, 'validation_failed')
    assert.deepEqual(body.errors, [{ path: '/body/extra', message: 'is not a known field' }])
  })

  test('a missing required field is reported at its own path', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { password: 'whatever' },
    })
    const body = problem(res, 400, 'validation_failed')
    assert.deepEqual(
      (body.errors as { path: string }[]).map((e) => e.path),
      ['/body/email'],
    )
  })

  test('an unknown query filter is a 400 naming it', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/products?color=red' })
    const body = problem(res, 400, 'validation_failed')
    assert.deepEqual(
      (body.errors as { path: string; message: string }[]).map((e) => e.path),
      ['/query/color'],
    )
  })

  test('an out-of-range limit is a 400', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/products?limit=1000' })
    const body = problem(res, 400, 'validation_failed')
    assert.deepEqual(
      (body.errors as { path: string }[]).map((e) => e.path),
      ['/query/limit'],
    )
  })
})

describe(`a body over BODY_LIMIT on ${engine}`, () => {
  let ctx: TestContext

  before(async () => {
    ctx = await createTestContext({ BODY_LIMIT: '1024' })
  })
  after(async () => {
    await ctx.close()
  })

  test('is refused with 413 payload_too_large before the route runs', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'a@b.test', password: 'x'.repeat(2000) },
    })
    problem(res, 413, 'payload_too_large')
  })

  test('a body under the limit is still accepted', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: `${'a'.repeat(240)}@b.test`, password: 'x'.repeat(120) },
    })
    assert.equal(res.statusCode, 401, res.body)
  })
})

describe(`an unexpected failure on ${engine}`, () => {
  let ctx: TestContext

  before(async () => {
    ctx = await createTestContext()
    await ctx.database.close()
  })
  after(async () => {
    await ctx.close()
  })

  test('is a 500 internal_error whose body leaks nothing of the cause', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/products' })
    const body = problem(res, 500, 'internal_error')
    assert.equal(body.title, 'Internal server error')

    const logged = ctx.logs.find(
      (l) => l.msg === 'unhandled error' && l.requestId === res.headers['x-request-id'],
    )
    assert.ok(logged, 'the cause is logged, with the request id')
    const cause = (logged.err as { message: string; stack: string }).message
    assert.ok(cause.length > 0)
    assert.ok(!res.body.includes(cause), `the body repeats the cause: ${res.body}`)
    assert.doesNotMatch(res.body, /destroyed|pglite|postgres|at .*\.(ts|js):\d+/i)
  })

  test('makes /readyz answer 503 not_ready with the database unreachable', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/readyz' })
    const body = problem(res, 503, 'not_ready')
    assert.deepEqual(body.checks, { database: 'unreachable' })
  })

  test('leaves /livez answering 200', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/livez' })
    assert.equal(res.statusCode, 200)
  })
})
