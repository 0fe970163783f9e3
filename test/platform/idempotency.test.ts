import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { buildHttpApp } from '../../src/app.js'
import { claimKey } from '../../src/platform/db/idempotency.repo.js'
import { pruneIdempotencyKeysJob, requestFingerprint } from '../../src/platform/http/idempotency.js'
import type { ModuleRuntime } from '../../src/platform/module.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { productBody } from '../helpers/catalog.js'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { problem } from './support.js'

let ctx: TestContext
let staff: string
let probe: FastifyInstance
const calls = new Map<string, number>()

/** Routes whose outcome the test controls: `flaky` fails with a 500 on its first call. */
const probeModule: ModuleRuntime = {
  name: 'probe',
  routes: async (app) => {
    app.post('/v1/probe/:name', { config: { access: 'public' } }, async (request, reply) => {
      const { name } = request.params as { name: string }
      const n = (calls.get(name) ?? 0) + 1
      calls.set(name, n)
      if (name.startsWith('flaky') && n === 1) throw new Error('the first attempt fails')
      return reply.code(201).send({ calls: n, key: request.idempotencyKey })
    })
  },
}

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
  probe = await buildHttpApp({
    config: ctx.config,
    logger: createLogger('silent'),
    modules: [probeModule],
    authenticate: ctx.runtime.modules.auth.authenticate,
    readiness: [],
    idempotency: { db: ctx.database.db },
  })
  await probe.ready()
})
after(async () => {
  await probe.close()
  await ctx.close()
})

function createProduct(body: object, key: string | undefined, token = staff) {
  return ctx.app.inject({
    method: 'POST',
    url: '/v1/admin/products',
    headers: {
      authorization: `Bearer ${token}`,
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    payload: body,
  })
}

async function productsTitled(title: string): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from catalog.product where title = ${title}`.execute(ctx.database.db)
  return result.rows[0]?.n ?? 0
}

async function storedKeys(key: string): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from platform.idempotency_key where key = ${key}`.execute(
    ctx.database.db,
  )
  return result.rows[0]?.n ?? 0
}

function isReplay(res: LightMyRequestResponse): boolean {
  return res.headers['idempotent-replayed'] === 'true'
}

describe(`Idempotency-Key on ${engine}`, () => {
  test('a retry gets the first response back, replayed, and the product is created once', async () => {
    const body = productBody()
    const key = randomUUID()
    const first = await createProduct(body, key)
    assert.equal(first.statusCode, 201, first.body)
    assert.equal(first.headers['idempotent-replayed'], undefined)

    const again = await createProduct(body, key)
    assert.equal(again.statusCode, 201)
    assert.equal(again.headers['idempotent-replayed'], 'true')
    assert.equal(again.body, first.body)
    for (const header of ['content-type', 'location', 'etag']) {
      assert.equal(again.headers[header], first.headers[header], header)
    }
    assert.equal(await productsTitled(body.title), 1)
  })

  test('the same key with a different body is a 422 and runs nothing', async () => {
    const key = randomUUID()
    const first = productBody()
    assert.equal((await createProduct(first, key)).statusCode, 201)
    const other = productBody()
    problem(await createProduct(other, key), 422, 'idempotency_key_reused')
    assert.equal(await productsTitled(other.title), 0)
    assert.equal(await productsTitled(first.title), 1)
  })

  test('of concurrent duplicates exactly one runs; the others get a 409 or its replay', async () => {
    const body = productBody()
    const key = randomUUID()
    const replies = await Promise.all(Array.from({ length: 5 }, () => createProduct(body, key)))

    const ran = replies.filter((r) => r.statusCode === 201 && !isReplay(r))
    assert.equal(ran.length, 1, replies.map((r) => r.statusCode).join(','))
    for (const res of replies) {
      if (res === ran[0]) continue
      if (res.statusCode === 409) {
        problem(res, 409, 'idempotency_key_in_progress')
        assert.equal(res.headers['retry-after'], '1')
      } else {
        assert.equal(res.statusCode, 201)
        assert.ok(isReplay(res))
        assert.equal(res.body, ran[0]!.body)
      }
    }
    assert.equal(await productsTitled(body.title), 1)
  })

  test('a 4xx outcome is stored and replayed, even once the conflict is gone', async () => {
    const slug = `taken-${uniqueSuffix()}`
    const existing = await createProduct(productBody({ slug }), undefined)
    assert.equal(existing.statusCode, 201)
    const body = productBody({ slug })
    const key = randomUUID()
    const first = await createProduct(body, key)
    assert.equal(first.statusCode, 409)

    const removed = await ctx.app.inject({
      method: 'DELETE',
      url: `/v1/admin/products/${(existing.json() as { id: string }).id}`,
      headers: { authorization: `Bearer ${staff}` },
    })
    assert.ok(removed.statusCode < 300, removed.body)

    const again = await createProduct(body, key)
    assert.equal(again.statusCode, 409)
    assert.ok(isReplay(again))
    assert.equal(again.body, first.body)
    assert.equal(await productsTitled(body.title), 0)
  })

  test('a 5xx releases the key: the retry runs again, and its success is then replayed', async () => {
    const name = `flaky-${uniqueSuffix()}`
    const key = randomUUID()
    const send = () =>
      probe.inject({
        method: 'POST',
        url: `/v1/probe/${name}`,
        headers: { 'idempotency-key': key },
        payload: { n: 1 },
      })
    problem(await send(), 500, 'internal_error')
    assert.equal(await storedKeys(key), 0)

    const retry = await send()
    assert.equal(retry.statusCode, 201)
    assert.deepEqual(retry.json(), { calls: 2, key })
    const replay = await send()
    assert.ok(isReplay(replay))
    assert.deepEqual(replay.json(), { calls: 2, key })
    assert.equal(calls.get(name), 2)
  })

  test('a running key is a 409 until its lock expires; then a retry takes it over', async () => {
    const name = `stale-${uniqueSuffix()}`
    const key = randomUUID()
    const url = `/v1/probe/${name}`
    const payload = { b: [1, 2], a: 'x' }
    const id = { scope: 'anonymous', method: 'POST', route: '/v1/probe/:name', key }
    // A process that claimed the key and died: its row stays running.
    const fingerprint = requestFingerprint('POST', url, { a: 'x', b: [1, 2] })
    assert.ok(await claimKey(ctx.database.db, id, fingerprint, 'dead-process', 60))
    const send = () =>
      probe.inject({ method: 'POST', url, headers: { 'idempotency-key': key }, payload })

    problem(await send(), 409, 'idempotency_key_in_progress')
    assert.equal(calls.get(name), undefined)
    await sql`update platform.idempotency_key set locked_until = now() - interval '1 second'
      where key = ${key}`.execute(ctx.database.db)

    const taken = await send()
    assert.equal(taken.statusCode, 201)
    assert.ok(!isReplay(taken))
    assert.equal(calls.get(name), 1)
    assert.ok(isReplay(await send()))
  })

  test('an Idempotency-Key that is empty or longer than 255 characters is a 400', async () => {
    for (const key of ['', 'k'.repeat(256)]) {
      const body = productBody()
      const res = await createProduct(body, key)
      const doc = problem(res, 400, 'invalid_idempotency_key')
      assert.equal((doc.errors as { path: string }[])[0]?.path, '/headers/idempotency-key')
      assert.equal(await productsTitled(body.title), 0)
    }
    assert.equal((await createProduct(productBody(), 'k'.repeat(255))).statusCode, 201)
  })

  test('keys are per caller: another user with the same key runs its own request', async () => {
    const other = await ctx.tokenFor('staff')
    const key = randomUUID()
    const mine = productBody()
    const theirs = productBody()
    assert.equal((await createProduct(mine, key)).statusCode, 201)
    const res = await createProduct(theirs, key, other)
    assert.equal(res.statusCode, 201)
    assert.ok(!isReplay(res))
    assert.equal(await productsTitled(theirs.title), 1)
    assert.equal(await storedKeys(key), 2)
  })

  test('GET ignores the header', async () => {
    const key = randomUUID()
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/v1/admin/products',
      headers: { authorization: `Bearer ${staff}`, 'idempotency-key': key },
    })
    assert.equal(res.statusCode, 200)
    assert.ok(!isReplay(res))
    assert.equal(await storedKeys(key), 0)
    const invalid = await ctx.app.inject({
      method: 'GET',
      url: '/v1/admin/products',
      headers: { authorization: `Bearer ${staff}`, 'idempotency-key': '' },
    })
    assert.equal(invalid.statusCode, 200)
  })

  test('credential replies are never stored: sign-in ignores the header', async () => {
    const email = `idem-${uniqueSuffix()}@example.test`
    const password = `correct horse ${uniqueSuffix()}`
    await ctx.runtime.modules.auth.service.createUser({
      email,
      password,
      name: 'Idem',
      role: 'customer',
    })
    const key = randomUUID()
    const login = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'idempotency-key': key },
        payload: { email, password },
      })
    const [a, b] = [await login(), await login()]
    assert.equal(a.statusCode, 200)
    assert.equal(b.statusCode, 200)
    assert.ok(!isReplay(b))
    assert.notEqual(a.json().refreshToken, b.json().refreshToken)
    assert.equal(await storedKeys(key), 0)
  })

  test('the prune job forgets keys older than the TTL and keeps younger ones', async () => {
    const [old, young] = [randomUUID(), randomUUID()]
    assert.equal((await createProduct(productBody(), old)).statusCode, 201)
    assert.equal((await createProduct(productBody(), young)).statusCode, 201)
    await sql`update platform.idempotency_key set created_at = now() - interval '25 hours'
      where key = ${old}`.execute(ctx.database.db)

    await pruneIdempotencyKeysJob(ctx.database.db, 24, createLogger('silent')).handler({})
    assert.equal(await storedKeys(old), 0)
    assert.equal(await storedKeys(young), 1)
  })
})
