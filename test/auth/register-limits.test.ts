import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { newCredentials, register } from './support.js'

let ctx: TestContext

before(async () => {
  ctx = await createTestContext({ RATE_LIMIT_AUTH: '5/600', RATE_LIMIT_AUTH_ACCOUNT: '2/600' })
})
after(async () => {
  await ctx.close()
})

describe('registration is rate limited (409 for a taken email stays)', () => {
  test('per email, then per IP', async () => {
    const taken = newCredentials('taken')
    assert.equal((await register(ctx, { ...taken })).statusCode, 201)
    const again = await register(ctx, { ...taken, name: 'Someone Else' })
    assert.equal(again.statusCode, 409)
    assert.equal(again.json().code, 'email_taken')
    const probe = await register(ctx, { ...taken, email: taken.email.toUpperCase() })
    assert.equal(probe.statusCode, 429, 'probing one address is limited per email')
    assert.ok(Number(probe.headers['retry-after']) > 0)

    assert.equal((await register(ctx, { ...newCredentials() })).statusCode, 201)
    assert.equal((await register(ctx, { ...newCredentials() })).statusCode, 201)
    const sixth = await register(ctx, { ...newCredentials() })
    assert.equal(sixth.statusCode, 429, 'many addresses from one IP are limited too')
    assert.equal(sixth.json().code, 'rate_limited')
  })
})
