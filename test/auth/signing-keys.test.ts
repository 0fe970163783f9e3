import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createRuntime } from '../../src/runtime.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { getMe, signedInCustomer } from './support.js'

let ctx: TestContext
let second: FastifyInstance

before(async () => {
  ctx = await createTestContext()
  // A second process on the same database: its own runtime, key cache and app.
  second = await createRuntime(ctx.config, createLogger('silent'), ctx.database).buildApp()
  await second.ready()
})
after(async () => {
  await second.close()
  await ctx.close()
})

async function publishedKids(app: FastifyInstance): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })
  assert.equal(res.statusCode, 200)
  return (res.json() as { keys: { kid: string }[] }).keys.map((k) => k.kid)
}

describe('signing keys', () => {
  // Runs first: no key exists until something needs one.
  test('two processes racing to create the first key end up sharing one', async () => {
    const before = await ctx.database.db.selectFrom('auth.signing_key').select('kid').execute()
    assert.equal(before.length, 0)

    const [first, other] = await Promise.all([publishedKids(ctx.app), publishedKids(second)])
    assert.equal(first.length, 1)
    assert.deepEqual(other, first)

    const rows = await ctx.database.db.selectFrom('auth.signing_key').select('kid').execute()
    assert.deepEqual(
      rows.map((r) => r.kid),
      first,
    )
  })

  test('a token issued by one process verifies in another on the same database', async () => {
    const { token, userId } = await signedInCustomer(ctx)
    const res = await second.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().id, userId)
  })

  test('a restarted process keeps the keys: tokens issued before still verify', async () => {
    const { token, userId } = await signedInCustomer(ctx)
    const restarted = await createRuntime(
      ctx.config,
      createLogger('silent'),
      ctx.database,
    ).buildApp()
    try {
      assert.deepEqual(await publishedKids(restarted), await publishedKids(ctx.app))
      const res = await restarted.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${token}` },
      })
      assert.equal(res.statusCode, 200)
      assert.equal(res.json().id, userId)
    } finally {
      await restarted.close()
    }
    assert.equal((await getMe(ctx, token)).statusCode, 200)
  })

  test('the private key never leaves through the JWKS', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })
    assert.ok(!('d' in res.json().keys[0]))
    assert.doesNotMatch(res.body, /"d"/)
  })
})
