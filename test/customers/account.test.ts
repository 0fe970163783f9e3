import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { tempDataDir } from '../helpers/mailbox.js'
import { getMe, login, newCredentials, register } from '../auth/support.js'

let ctx: TestContext
let dataDir: Awaited<ReturnType<typeof tempDataDir>>

before(async () => {
  // Draining the outbox sends welcome mails: keep them out of the working tree.
  dataDir = await tempDataDir()
  ctx = await createTestContext({ DATA_DIR: dataDir.dir })
})
after(async () => {
  await ctx.close()
  await dataDir.cleanup()
})

async function customer() {
  const credentials = newCredentials('account')
  const created = await register(ctx, { ...credentials })
  assert.equal(created.statusCode, 201, created.body)
  const res = await login(ctx, { email: credentials.email, password: credentials.password })
  assert.equal(res.statusCode, 200, res.body)
  return {
    credentials,
    token: res.json().accessToken as string,
    userId: res.json().user.id as string,
  }
}

const authed = (token: string) => ({ authorization: `Bearer ${token}` })

describe('PATCH /v1/me', () => {
  test('changes my name and nothing else', async () => {
    const { token, credentials } = await customer()
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/me',
      headers: authed(token),
      payload: { name: '  Grace Hopper ' },
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().name, 'Grace Hopper')
    assert.equal(res.json().email, credentials.email.toLowerCase())
    assert.equal((await getMe(ctx, token)).json().name, 'Grace Hopper')
  })

  test('email is not a field it accepts', async () => {
    const { token } = await customer()
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/me',
      headers: authed(token),
      payload: { email: 'new@example.test' },
    })
    assert.equal(res.statusCode, 400)
  })
})

describe('POST /v1/me/delete', () => {
  test('a wrong password is a 403 and changes nothing', async () => {
    const { token, credentials } = await customer()
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/me/delete',
      headers: authed(token),
      payload: { password: 'not my password at all' },
    })
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().code, 'password_incorrect')
    assert.equal(
      (await login(ctx, { email: credentials.email, password: credentials.password })).statusCode,
      200,
    )
  })

  test('anonymises the account, keeps the row, removes addresses, emits customer.deleted', async () => {
    const { token, credentials, userId } = await customer()
    const address = await ctx.app.inject({
      method: 'POST',
      url: '/v1/me/addresses',
      headers: authed(token),
      payload: { name: 'Ada', line1: '1 Road', city: 'Bath', postalCode: 'BA1 1AA', country: 'GB' },
    })
    assert.equal(address.statusCode, 201)

    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/me/delete',
      headers: authed(token),
      payload: { password: credentials.password },
    })
    assert.equal(res.statusCode, 204, res.body)

    const row = await ctx.database.db
      .selectFrom('auth.user')
      .select(['email', 'name', 'status', 'password_hash'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, {
      email: `deleted+${userId}@invalid`,
      name: 'Deleted user',
      status: 'disabled',
      password_hash: '!deleted',
    })
    const events = await ctx.database.db
      .selectFrom('platform.outbox')
      .select(['type', 'payload'])
      .where('aggregate_id', '=', userId)
      .where('type', '=', 'customer.deleted')
      .execute()
    assert.deepEqual(events, [{ type: 'customer.deleted', payload: { userId } }])

    await ctx.runtime.relay.drain()
    const left = await ctx.database.db
      .selectFrom('customers.address')
      .select('id')
      .where('user_id', '=', userId)
      .execute()
    assert.deepEqual(left, [])
    const again = await login(ctx, { email: credentials.email, password: credentials.password })
    assert.equal(again.statusCode, 401, 'the old email no longer signs in')
    const forgot = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/password/forgot',
      payload: { email: credentials.email },
    })
    assert.equal(forgot.statusCode, 202)
  })
})
