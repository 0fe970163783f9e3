import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, type TestContext } from '../helpers/context.js'

let ctx: TestContext
let admin: string

before(async () => {
  ctx = await createTestContext()
  admin = await ctx.tokenFor('admin')
})
after(async () => {
  await ctx.close()
})

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function createKey(scopes: string[], token = admin) {
  return ctx.app.inject({
    method: 'POST',
    url: '/v1/admin/api-keys',
    headers: bearer(token),
    payload: { name: 'ERP sync', scopes },
  })
}

describe('API keys', () => {
  test('a key is shown once, stored hashed, and grants exactly its scopes', async () => {
    const res = await createKey(['catalog:read', 'catalog:write'])
    assert.equal(res.statusCode, 201, res.body)
    const { apiKey, key } = res.json()
    assert.match(key, /^emp_[A-Za-z0-9_-]{59}$/)
    assert.deepEqual(apiKey.scopes, ['catalog:read', 'catalog:write'])
    assert.equal(apiKey.lastUsedAt, null)
    assert.equal(res.headers['cache-control'], 'no-store')

    const stored = await ctx.database.db
      .selectFrom('auth.api_key' as never)
      .selectAll()
      .execute()
    assert.ok(!JSON.stringify(stored).includes(key.slice(4)), 'the key is not stored')
    const listed = await ctx.app.inject({
      method: 'GET',
      url: '/v1/admin/api-keys',
      headers: bearer(admin),
    })
    assert.equal(listed.statusCode, 200)
    assert.ok(!listed.body.includes(key.slice(20)), 'the list never shows the key')
    assert.ok(listed.json().data.some((k: { id: string }) => k.id === apiKey.id))

    const allowed = await ctx.app.inject({
      method: 'GET',
      url: '/v1/admin/products',
      headers: bearer(key),
    })
    assert.equal(allowed.statusCode, 200, allowed.body)
    const denied = await ctx.app.inject({
      method: 'GET',
      url: '/v1/admin/staff',
      headers: bearer(key),
    })
    assert.equal(denied.statusCode, 403, 'a scope the key lacks is forbidden')
    assert.equal(denied.json().code, 'forbidden')

    const after = await ctx.app.inject({
      method: 'GET',
      url: '/v1/admin/api-keys',
      headers: bearer(admin),
    })
    const used = after.json().data.find((k: { id: string }) => k.id === apiKey.id)
    assert.ok(used.lastUsedAt, 'last use is recorded')
  })

  test('a revoked key is a 401 at once; revoking twice is a 404', async () => {
    const { apiKey, key } = (await createKey(['orders:read'])).json()
    const revoke = () =>
      ctx.app.inject({
        method: 'DELETE',
        url: `/v1/admin/api-keys/${apiKey.id}`,
        headers: bearer(admin),
      })
    assert.equal((await revoke()).statusCode, 204)
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/v1/admin/products',
      headers: bearer(key),
    })
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().code, 'invalid_token')
    assert.equal((await revoke()).statusCode, 404)
  })

  test('a tampered or unknown key is a 401', async () => {
    const { key } = (await createKey(['catalog:read'])).json()
    const last = key.at(-1) === 'A' ? 'B' : 'A'
    for (const candidate of [`${key.slice(0, -1)}${last}`, 'emp_nope', `emp_${'x'.repeat(59)}`]) {
      const res = await ctx.app.inject({
        method: 'GET',
        url: '/v1/admin/products',
        headers: bearer(candidate),
      })
      assert.equal(res.statusCode, 401, candidate)
    }
  })

  test('a key cannot grant more than its creator holds', async () => {
    const res = await createKey(['catalog:read', 'staff:manage'], await ctx.tokenFor('staff'))
    assert.equal(res.statusCode, 403, 'staff lack api_keys:manage')
  })

  test('a key cannot create keys, neither wider nor narrower than its own (was a 500)', async () => {
    const viaKey = (await createKey(['api_keys:manage', 'catalog:read'])).json().key
    for (const scopes of [['staff:manage'], ['catalog:read']]) {
      const res = await createKey(scopes, viaKey)
      assert.equal(res.statusCode, 403, res.body)
      assert.equal(res.json().code, 'api_key_cannot_create_keys')
    }
    const listed = await ctx.app.inject({
      method: 'GET',
      url: '/v1/admin/api-keys?limit=100',
      headers: bearer(viaKey),
    })
    assert.equal(listed.statusCode, 200, 'the key still manages (lists) keys')
    assert.ok(
      listed.json().data.every((k: { createdBy: string }) => !k.createdBy.startsWith('key')),
    )
  })

  test('creating and revoking are audited with the actor, never the key', async () => {
    const { apiKey, key } = (await createKey(['catalog:read'])).json()
    await ctx.app.inject({
      method: 'DELETE',
      url: `/v1/admin/api-keys/${apiKey.id}`,
      headers: bearer(admin),
    })
    const auditor = await ctx.tokenFor('admin')
    const log = await ctx.app.inject({
      method: 'GET',
      url: '/v1/admin/audit-log?action=api_key.created',
      headers: bearer(auditor),
    })
    assert.equal(log.statusCode, 200, log.body)
    const created = log.json().data.find((e: { subjectId: string }) => e.subjectId === apiKey.id)
    assert.ok(created)
    assert.equal(created.actor.type, 'user')
    assert.deepEqual(created.detail.scopes, ['catalog:read'])
    assert.ok(!log.body.includes(key.slice(4)))
    const revoked = await ctx.app.inject({
      method: 'GET',
      url: '/v1/admin/audit-log?action=api_key.revoked',
      headers: bearer(auditor),
    })
    assert.ok(revoked.json().data.some((e: { subjectId: string }) => e.subjectId === apiKey.id))
  })
})
