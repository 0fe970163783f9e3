import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { signedInCustomer } from '../auth/support.js'

let ctx: TestContext

before(async () => {
  ctx = await createTestContext()
})
after(async () => {
  await ctx.close()
})

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

const call = (method: Method, url: string, token: string, payload?: Record<string, unknown>) =>
  ctx.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  })

const HOME = {
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'gb',
}

describe('/v1/me/addresses', () => {
  test('create, read, list, update and delete my own addresses', async () => {
    const { token, userId } = await signedInCustomer(ctx)
    const created = await call('POST', '/v1/me/addresses', token, {
      ...HOME,
      phone: '+44 20 7946 0000',
    })
    assert.equal(created.statusCode, 201, created.body)
    const home = created.json()
    assert.match(home.id, /^adr_[0-9a-z]{26}$/)
    assert.equal(home.country, 'GB', 'the country is stored upper-cased')
    assert.equal(home.isDefault, true, 'the first address becomes the default')
    assert.equal(home.line2, null)

    const work = (
      await call('POST', '/v1/me/addresses', token, {
        ...HOME,
        line1: '1 Work Street',
        isDefault: true,
      })
    ).json()
    assert.equal(work.isDefault, true)
    assert.equal((await call('GET', `/v1/me/addresses/${home.id}`, token)).json().isDefault, false)

    const list = await call('GET', '/v1/me/addresses', token)
    assert.equal(list.statusCode, 200)
    assert.deepEqual(
      list.json().data.map((a: { id: string }) => a.id),
      [home.id, work.id],
    )
    assert.deepEqual(list.json().page, { nextCursor: null, hasMore: false })

    const patched = await call('PATCH', `/v1/me/addresses/${home.id}`, token, {
      line2: 'Flat 3',
      phone: null,
      isDefault: true,
    })
    assert.equal(patched.statusCode, 200, patched.body)
    assert.equal(patched.json().line2, 'Flat 3')
    assert.equal(patched.json().phone, null)
    assert.equal(patched.json().isDefault, true)

    assert.equal((await call('DELETE', `/v1/me/addresses/${home.id}`, token)).statusCode, 204)
    assert.equal((await call('GET', `/v1/me/addresses/${home.id}`, token)).statusCode, 404)
    const rows = await ctx.database.db
      .selectFrom('customers.address')
      .select(['id', 'is_default'])
      .where('user_id', '=', userId)
      .execute()
    assert.deepEqual(
      rows,
      [{ id: work.id, is_default: true }],
      'the other address took over as default',
    )
  })

  test("another customer's address is a 404 for every verb, and stays unchanged", async () => {
    const owner = await signedInCustomer(ctx)
    const other = await signedInCustomer(ctx)
    const address = (await call('POST', '/v1/me/addresses', owner.token, HOME)).json()
    const url = `/v1/me/addresses/${address.id}`

    for (const [method, payload] of [
      ['GET', undefined],
      ['PATCH', { city: 'Paris' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await call(method, url, other.token, payload)
      assert.equal(res.statusCode, 404, `${method} ${res.body}`)
      assert.equal(res.json().code, 'address_not_found')
    }
    assert.deepEqual((await call('GET', '/v1/me/addresses', other.token)).json().data, [])
    const mine = await call('GET', url, owner.token)
    assert.equal(mine.json().city, 'London')
  })

  test('invalid input is a 400 naming the field; no token is a 401', async () => {
    const { token } = await signedInCustomer(ctx)
    const bad = await call('POST', '/v1/me/addresses', token, { ...HOME, country: 'GBR' })
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().errors[0].path, '/body/country')
    const missing = await call('POST', '/v1/me/addresses', token, { name: 'x' })
    assert.equal(missing.statusCode, 400)
    const empty = await call('PATCH', '/v1/me/addresses/adr_x', token, {})
    assert.equal(empty.statusCode, 400)
    const anonymous = await ctx.app.inject({ method: 'GET', url: '/v1/me/addresses' })
    assert.equal(anonymous.statusCode, 401)
  })
})
