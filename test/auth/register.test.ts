import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { newCredentials, register } from './support.js'

let ctx: TestContext

before(async () => {
  ctx = await createTestContext()
})
after(async () => {
  await ctx.close()
})

async function storedUser(id: string) {
  return ctx.database.db
    .selectFrom('auth.user')
    .select(['email', 'role', 'status', 'password_hash', 'email_verified_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}

async function outboxFor(aggregateId: string) {
  return ctx.database.db
    .selectFrom('platform.outbox')
    .select(['type', 'aggregate_type', 'payload'])
    .where('aggregate_id', '=', aggregateId)
    .execute()
}

describe('POST /v1/auth/register', () => {
  test('creates a customer, stores an argon2id hash and emits customer.created', async () => {
    const credentials = newCredentials('Mixed.Case')
    const res = await register(ctx, { ...credentials })

    assert.equal(res.statusCode, 201)
    const { user } = res.json()
    assert.match(user.id, /^usr_[0-9a-z]{26}$/)
    assert.deepEqual(Object.keys(user).sort(), [
      'createdAt',
      'email',
      'emailVerified',
      'id',
      'name',
      'role',
      'updatedAt',
    ])
    assert.equal(user.email, credentials.email.toLowerCase())
    assert.equal(user.name, credentials.name)
    assert.equal(user.role, 'customer')
    assert.equal(user.emailVerified, false)
    assert.equal(new Date(user.createdAt).toISOString(), user.createdAt)
    assert.doesNotMatch(res.body, /argon2|password/i)

    const row = await storedUser(user.id)
    assert.equal(row.email, credentials.email.toLowerCase())
    assert.equal(row.status, 'active')
    assert.equal(row.email_verified_at, null)
    assert.ok(row.password_hash.startsWith('$argon2id$'), 'password is stored as an argon2id hash')
    assert.ok(!row.password_hash.includes(credentials.password))

    const events = await outboxFor(user.id)
    assert.equal(events.length, 1)
    assert.equal(events[0]!.type, 'customer.created')
    assert.equal(events[0]!.aggregate_type, 'user')
    assert.deepEqual(events[0]!.payload, {
      userId: user.id,
      email: credentials.email.toLowerCase(),
      name: credentials.name,
    })
  })

  test('when the email is taken in another case, fails with 409 email_taken and adds no event', async () => {
    const credentials = newCredentials()
    assert.equal((await register(ctx, { ...credentials })).statusCode, 201)

    const again = await register(ctx, {
      ...newCredentials(),
      email: credentials.email.toUpperCase(),
    })
    assert.equal(again.statusCode, 409)
    assert.match(String(again.headers['content-type']), /^application\/problem\+json/)
    const problem = again.json()
    assert.equal(problem.code, 'email_taken')
    assert.equal(problem.status, 409)
    assert.equal(problem.type, 'urn:emporium:problem:email_taken')

    const rows = await ctx.database.db
      .selectFrom('auth.user')
      .select('id')
      .where('email', '=', credentials.email.toLowerCase())
      .execute()
    assert.equal(rows.length, 1)
  })

  test('a password shorter than 10 characters is a 400 naming the field', async () => {
    const res = await register(ctx, { ...newCredentials(), password: 'short' })
    assert.equal(res.statusCode, 400)
    const problem = res.json()
    assert.equal(problem.code, 'validation_failed')
    assert.ok(
      problem.errors.some((e: { path: string }) => e.path === '/body/password'),
      JSON.stringify(problem.errors),
    )
  })

  test('a password longer than 128 characters is a 400', async () => {
    const res = await register(ctx, { ...newCredentials(), password: 'x'.repeat(129) })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().errors[0].path, '/body/password')
  })

  test('a malformed email is a 400 naming the field', async () => {
    const res = await register(ctx, { ...newCredentials(), email: 'not-an-email' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().errors[0].path, '/body/email')
  })

  test('a caller cannot choose its role: an unknown field is a 400 and no account is made', async () => {
    const credentials = newCredentials()
    const res = await register(ctx, { ...credentials, role: 'admin' })
    assert.equal(res.statusCode, 400)
    assert.ok(res.json().errors.some((e: { path: string }) => e.path === '/body/role'))
    const rows = await ctx.database.db
      .selectFrom('auth.user')
      .select('id')
      .where('email', '=', credentials.email.toLowerCase())
      .execute()
    assert.equal(rows.length, 0)
  })

  test('the log never shows the password', async () => {
    const credentials = newCredentials()
    assert.equal((await register(ctx, { ...credentials })).statusCode, 201)
    assert.ok(!JSON.stringify(ctx.logs).includes(credentials.password))
  })
})

describe('createUser and ensureAdmin', () => {
  test('createUser makes a staff account without a customer.created event', async () => {
    const credentials = newCredentials('staff')
    const user = await ctx.runtime.modules.auth.service.createUser({
      ...credentials,
      role: 'staff',
    })
    assert.equal(user.role, 'staff')
    assert.deepEqual(await outboxFor(user.id), [])
  })

  test('createUser refuses a password that breaks the policy', async () => {
    await assert.rejects(
      ctx.runtime.modules.auth.service.createUser({
        ...newCredentials(),
        password: 'short',
        role: 'staff',
      }),
      (error: { code?: string; errors?: { path: string }[] }) =>
        error.code === 'validation_failed' && error.errors?.[0]?.path === '/password',
    )
  })

  test('ensureAdmin creates the admin once and then leaves it alone', async () => {
    const { email, password } = newCredentials('Admin')
    const auth = ctx.runtime.modules.auth.service
    assert.equal(await auth.ensureAdmin(email, password), true)
    assert.equal(await auth.ensureAdmin(email.toLowerCase(), 'another password entirely'), false)

    const rows = await ctx.database.db
      .selectFrom('auth.user')
      .select(['role', 'password_hash'])
      .where('email', '=', email.toLowerCase())
      .execute()
    assert.equal(rows.length, 1)
    assert.equal(rows[0]!.role, 'admin')

    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password },
    })
    assert.equal(res.statusCode, 200, 'the first password still signs in')
    assert.equal(res.json().user.role, 'admin')
  })

  test('concurrent ensureAdmin calls create exactly one account', async () => {
    const { email, password } = newCredentials('admin')
    const auth = ctx.runtime.modules.auth.service
    const results = await Promise.all([1, 2, 3].map(() => auth.ensureAdmin(email, password)))
    assert.equal(results.filter(Boolean).length, 1)
  })
})
