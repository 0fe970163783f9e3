import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createRuntime, type Runtime } from '../../src/runtime.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { signedInCustomer } from './support.js'

let ctx: TestContext
const opened: FastifyInstance[] = []
const [k1, k2, k3] = [1, 2, 3].map(() => randomBytes(32).toString('base64')) as [
  string,
  string,
  string,
]

before(async () => {
  ctx = await createTestContext()
})
after(async () => {
  for (const app of opened) await app.close()
  await ctx.close()
})

/** Another process on the same database, with `SIGNING_KEY_ENCRYPTION_KEY` set to `keys`. */
async function processWith(keys: string): Promise<{ runtime: Runtime; app: FastifyInstance }> {
  const { signingKeyEncryptionKeys } = loadConfig({ SIGNING_KEY_ENCRYPTION_KEY: keys })
  const config = { ...ctx.config, signingKeyEncryptionKeys }
  const runtime = createRuntime(config, createLogger('silent'), ctx.database)
  const app = await runtime.buildApp()
  opened.push(app)
  return { runtime, app }
}

async function storedPrivateKeys(): Promise<unknown[]> {
  const rows = await ctx.database.db
    .selectFrom('auth.signing_key')
    .select('private_jwk')
    .orderBy('created_at')
    .execute()
  return rows.map((r) => r.private_jwk)
}

async function meStatus(app: FastifyInstance, token: string): Promise<number> {
  const res = await app.inject({
    method: 'GET',
    url: '/v1/me',
    headers: { authorization: `Bearer ${token}` },
  })
  return res.statusCode
}

describe(`private signing keys at rest (${engine})`, () => {
  let clearToken: string

  test('without SIGNING_KEY_ENCRYPTION_KEY the key is stored as generated (the old rows)', async () => {
    clearToken = (await signedInCustomer(ctx)).token
    const [stored] = await storedPrivateKeys()
    assert.equal(typeof stored, 'object')
    assert.ok('d' in (stored as object))
  })

  test('a process with a key seals the clear row on its first load; old tokens still verify', async () => {
    const { runtime, app } = await processWith(`k1:${k1}`)
    await runtime.modules.auth.service.publicKeys()
    const [stored] = await storedPrivateKeys()
    assert.equal(typeof stored, 'string')
    assert.match(stored as string, /^v2\.k1\./)
    assert.doesNotMatch(JSON.stringify(stored), /"d"/)
    assert.equal(await meStatus(app, clearToken), 200)
    // It signs with the sealed key: its tokens verify here and in the first process.
    const login = await signedInCustomer({ ...ctx, app })
    assert.equal(await meStatus(app, login.token), 200)
    assert.equal(await meStatus(ctx.app, login.token), 200)
  })

  test('after rotating to k2,k1 the key opens, is sealed again under k2, and signs', async () => {
    const { runtime, app } = await processWith(`k2:${k2},k1:${k1}`)
    await runtime.modules.auth.service.publicKeys()
    const [stored] = await storedPrivateKeys()
    assert.match(stored as string, /^v2\.k2\./)
    const login = await signedInCustomer({ ...ctx, app })
    assert.equal(await meStatus(app, login.token), 200)
    assert.equal(await meStatus(app, clearToken), 200)
  })

  test('a process without the sealing key fails to load the keys, naming the key id', async () => {
    const { runtime } = await processWith(`k3:${k3}`)
    await assert.rejects(runtime.modules.auth.service.publicKeys(), /sealed with key k2/)
  })
})

describe(`a new signing key with SIGNING_KEY_ENCRYPTION_KEY set (${engine})`, () => {
  test('is sealed from the start', async () => {
    const fresh = await createTestContext({ SIGNING_KEY_ENCRYPTION_KEY: k1 })
    try {
      const { token } = await signedInCustomer(fresh)
      const rows = await fresh.database.db
        .selectFrom('auth.signing_key')
        .select('private_jwk')
        .execute()
      assert.equal(rows.length, 1)
      assert.match(String(rows[0]!.private_jwk), /^v2\.[\w-]{8}\./)
      assert.equal(await meStatus(fresh.app, token), 200)
    } finally {
      await fresh.close()
    }
  })
})
