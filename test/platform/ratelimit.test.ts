import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { createTestContext, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { login, newCredentials, register } from '../auth/support.js'

const contexts: TestContext[] = []
after(async () => {
  await Promise.all(contexts.map((c) => c.close()))
})

async function context(env: Record<string, string>): Promise<TestContext> {
  const ctx = await createTestContext(env)
  contexts.push(ctx)
  return ctx
}

function header(res: { headers: Record<string, unknown> }, name: string): string {
  return String(res.headers[name])
}

const anonymous = (ctx: TestContext) => ctx.app.inject({ method: 'GET', url: '/v1/products' })

describe('rate limits on every route', () => {
  test('an anonymous caller gets decreasing limit headers, then a 429 problem with Retry-After', async () => {
    const ctx = await context({ RATE_LIMIT_DEFAULT: '3/60' })
    const remaining: number[] = []
    for (let i = 0; i < 3; i++) {
      const res = await anonymous(ctx)
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(header(res, 'x-ratelimit-limit'), '3')
      remaining.push(Number(header(res, 'x-ratelimit-remaining')))
      const reset = Number(header(res, 'x-ratelimit-reset'))
      const now = Date.now() / 1000
      assert.ok(reset > now && reset <= now + 61, `reset ${reset} is a unix time within the window`)
      assert.equal(header(res, 'ratelimit-policy'), '"default";q=3;w=60')
      assert.match(header(res, 'ratelimit'), new RegExp(`^"default";r=${2 - i};t=\\d+$`))
    }
    assert.deepEqual(remaining, [2, 1, 0])

    const refused = await anonymous(ctx)
    assert.equal(refused.statusCode, 429)
    assert.match(header(refused, 'content-type'), /application\/problem\+json/)
    assert.equal(refused.json().code, 'rate_limited')
    assert.equal(refused.json().status, 429)
    const retryAfter = Number(header(refused, 'retry-after'))
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`)
    assert.equal(header(refused, 'x-ratelimit-remaining'), '0')
    assert.match(header(refused, 'ratelimit'), /^"default";r=0;t=\d+$/)

    const probe = await ctx.app.inject({ method: 'GET', url: '/livez' })
    assert.equal(probe.statusCode, 200, 'health probes are never limited')
  })

  test("requests with bogus credentials count against the address's anonymous quota (issue 9)", async () => {
    // On Redis when the run has one: the counter the bogus requests are charged to is shared.
    const redis: Record<string, string> = process.env.REDIS_URL
      ? { REDIS_URL: process.env.REDIS_URL }
      : {}
    const ctx = await context({ RATE_LIMIT_DEFAULT: '3/60', ...redis })
    const user = await ctx.tokenFor('customer')
    const bogus = () =>
      ctx.app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer emp_${'A'.repeat(59)}` },
      })
    for (let i = 0; i < 3; i++) assert.equal((await bogus()).statusCode, 401)
    const refused = await bogus()
    assert.equal(refused.statusCode, 429, refused.body)
    assert.equal(refused.json().code, 'rate_limited')
    const retryAfter = Number(header(refused, 'retry-after'))
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`)
    const malformed = await ctx.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: 'Basic Zm9vOmJhcg==' },
    })
    assert.equal(malformed.statusCode, 429, 'a malformed Authorization header is charged too')
    assert.equal((await anonymous(ctx)).statusCode, 429, 'the same quota as anonymous traffic')
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${user}` },
    })
    assert.equal(me.statusCode, 200, 'a valid credential keeps its own per-user quota')
  })

  test('signed-in callers are counted per user, not per address', async () => {
    const ctx = await context({ RATE_LIMIT_USER: '2/60' })
    const first = await ctx.tokenFor('customer')
    const second = await ctx.tokenFor('customer')
    const me = (token: string) =>
      ctx.app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${token}` },
      })
    assert.equal((await me(first)).statusCode, 200)
    const last = await me(first)
    assert.equal(last.statusCode, 200)
    assert.equal(header(last, 'ratelimit-policy'), '"user";q=2;w=60')
    assert.equal((await me(first)).statusCode, 429)
    const other = await me(second)
    assert.equal(other.statusCode, 200, 'another user from the same address is not refused')
    assert.equal(header(other, 'x-ratelimit-remaining'), '1')
  })

  test('login is limited per account and per address, and the account limit ends with its window', async () => {
    const ctx = await context({ RATE_LIMIT_AUTH: '6/60', RATE_LIMIT_AUTH_ACCOUNT: '3/2' })
    const user = newCredentials()
    assert.equal((await register(ctx, { ...user })).statusCode, 201)
    const attempt = (email: string) => login(ctx, { email, password: user.password })

    // Registering counted once against the account too: it shares the credential quotas.
    assert.equal((await attempt(user.email)).statusCode, 200)
    const second = await attempt(user.email.toUpperCase())
    assert.equal(second.statusCode, 200)
    assert.equal(header(second, 'ratelimit-policy'), '"auth";q=6;w=60, "auth-account";q=3;w=2')
    const refused = await attempt(user.email)
    assert.equal(refused.statusCode, 429, 'the third sign-in to one account within the window')
    assert.equal(refused.json().code, 'rate_limited')
    const retryAfter = Number(header(refused, 'retry-after'))
    assert.ok(retryAfter >= 1 && retryAfter <= 2, `Retry-After ${retryAfter}`)

    await sleep(retryAfter * 1000 + 100)
    assert.equal((await attempt(user.email)).statusCode, 200, 'allowed again after the window')
    // Register and 4 sign-ins so far: the per-address quota of 6 leaves one, whatever the account.
    assert.equal((await attempt(newCredentials().email)).statusCode, 401)
    const perAddress = await attempt(newCredentials().email)
    assert.equal(perAddress.statusCode, 429, 'the per-address quota holds across accounts')
    assert.match(header(perAddress, 'ratelimit'), /"auth";r=0;t=\d+/)
  })

  test('forgot-password is limited per account even from fresh addresses of one client', async () => {
    const ctx = await context({ RATE_LIMIT_AUTH: '100/60', RATE_LIMIT_AUTH_ACCOUNT: '2/60' })
    const email = `victim-${uniqueSuffix()}@example.test`
    const forgot = () =>
      ctx.app.inject({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email } })
    assert.equal((await forgot()).statusCode, 202)
    assert.equal((await forgot()).statusCode, 202)
    const refused = await forgot()
    assert.equal(refused.statusCode, 429, 'a third reset mail for one address within the window')
    assert.ok(Number(header(refused, 'retry-after')) >= 1)
  })

  test('/readyz reports an unreachable Redis while requests are still served', async () => {
    const ctx = await context({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_DEFAULT: '5/60' })
    const ready = await ctx.app.inject({ method: 'GET', url: '/readyz' })
    assert.equal(ready.statusCode, 503)
    assert.equal(ready.json().checks.redis, 'unreachable')
    const res = await anonymous(ctx)
    assert.equal(res.statusCode, 200, 'counted in-process while Redis is down')
    assert.equal(header(res, 'x-ratelimit-remaining'), '4')
  })
})

const redisUrl = process.env.REDIS_URL
describe(redisUrl ? 'two instances sharing one Redis' : 'two embedded instances', () => {
  test(
    redisUrl
      ? 'the limit holds across instances: what one counted, the other refuses'
      : 'without Redis each instance counts its own requests',
    async () => {
      const env = {
        RATE_LIMIT_DEFAULT: '4/60',
        RATE_LIMIT_PREFIX: `test:${uniqueSuffix()}`,
        ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      }
      const [one, two] = [await context(env), await context(env)]
      assert.equal(one.runtime.rateLimits.backend, redisUrl ? 'redis' : 'memory')
      for (let i = 0; i < 2; i++) {
        assert.equal((await anonymous(one)).statusCode, 200)
        assert.equal((await anonymous(two)).statusCode, 200)
      }
      const fifth = await anonymous(one)
      if (redisUrl) {
        assert.equal(fifth.statusCode, 429, 'four requests were counted across both instances')
        assert.equal((await anonymous(two)).statusCode, 429)
        const ready = await one.app.inject({ method: 'GET', url: '/readyz' })
        assert.equal(ready.json().checks.redis, 'ok')
      } else {
        assert.equal(fifth.statusCode, 200)
        assert.equal(header(fifth, 'x-ratelimit-remaining'), '1')
      }
    },
  )
})
