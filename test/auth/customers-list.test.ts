import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { login, register } from './support.js'

let ctx: TestContext
let admin: string
let staff: string

before(async () => {
  ctx = await createTestContext()
  admin = await ctx.tokenFor('admin')
  staff = await ctx.tokenFor('staff')
})
after(async () => {
  await ctx.close()
})

interface CustomerBody {
  id: string
  email: string
  name: string
  emailVerified: boolean
  status: string
}
interface ListBody {
  data: CustomerBody[]
  page: { nextCursor: string | null; hasMore: boolean }
}

async function list(query: string, token = staff): Promise<ListBody> {
  const res = await ctx.as(token).get(`/v1/admin/customers${query}`)
  assert.equal(res.statusCode, 200, res.body)
  assert.equal(res.headers['cache-control'], 'no-store')
  return res.json() as ListBody
}

/** Registers `count` customers whose names and addresses carry `tag`; oldest first. */
async function customers(tag: string, count: number) {
  const made: { id: string; email: string; password: string }[] = []
  for (let i = 0; i < count; i++) {
    const email = `${tag}-${i}@example.test`
    const password = `correct horse battery ${uniqueSuffix()}`
    const res = await register(ctx, { email, password, name: `Grace ${tag} ${i}` })
    assert.equal(res.statusCode, 201, res.body)
    made.push({ id: (res.json() as { user: { id: string } }).user.id, email, password })
  }
  return made
}

describe('GET /v1/admin/customers', () => {
  test('lists customer accounts newest first, page by page with the cursor', async () => {
    const tag = `pager${uniqueSuffix()}`
    const made = await customers(tag, 5)
    const first = await list(`?q=${tag}&limit=2`)
    assert.deepEqual(
      first.data.map((c) => c.id),
      [made[4]!.id, made[3]!.id],
    )
    assert.equal(first.page.hasMore, true)
    const second = await list(`?q=${tag}&limit=2&cursor=${first.page.nextCursor}`)
    const third = await list(`?q=${tag}&limit=2&cursor=${second.page.nextCursor}`)
    assert.deepEqual(
      [...second.data, ...third.data].map((c) => c.id),
      [made[2]!.id, made[1]!.id, made[0]!.id],
    )
    assert.deepEqual(third.page, { nextCursor: null, hasMore: false })
    assert.deepEqual(Object.keys(first.data[0]!).sort(), [
      'createdAt',
      'email',
      'emailVerified',
      'id',
      'name',
      'status',
      'updatedAt',
    ])
    assert.equal(first.data[0]!.email, `${tag}-4@example.test`)
    assert.equal(first.data[0]!.status, 'active')
  })

  test('q matches part of the email or of the name, in any case, with LIKE characters literal', async () => {
    const tag = `match${uniqueSuffix()}`
    const [byEmail] = await customers(tag, 1)
    const nameOnly = `Zelda ${uniqueSuffix()}`
    const res = await register(ctx, {
      email: `other-${uniqueSuffix()}@example.test`,
      password: `correct horse battery ${uniqueSuffix()}`,
      name: nameOnly,
    })
    assert.equal(res.statusCode, 201, res.body)
    assert.deepEqual(
      (await list(`?q=${tag.toUpperCase()}-0@EXAMPLE`)).data.map((c) => c.id),
      [byEmail!.id],
    )
    assert.deepEqual(
      (await list(`?q=${encodeURIComponent(nameOnly.toLowerCase())}`)).data.map((c) => c.name),
      [nameOnly],
    )
    // % and _ are matched as themselves, not as wildcards.
    assert.deepEqual((await list(`?q=${encodeURIComponent('%')}`)).data, [])
    assert.deepEqual((await list(`?q=${tag.replace(/./g, '_')}`)).data, [])
  })

  test('staff and admins are not customers; a deleted account is not listed', async () => {
    const tag = `gone${uniqueSuffix()}`
    const [kept, gone] = await customers(tag, 2)
    const signedIn = await login(ctx, { email: gone!.email, password: gone!.password })
    const token = (signedIn.json() as { accessToken: string }).accessToken
    const deleted = await ctx.as(token).post('/v1/me/delete', { password: gone!.password })
    assert.equal(deleted.statusCode, 204, deleted.body)
    assert.deepEqual(
      (await list(`?q=${tag}`, admin)).data.map((c) => c.id),
      [kept!.id],
    )
    const all = await list('?limit=100', admin)
    assert.ok(all.data.every((c) => !c.email.startsWith('deleted+')))
    assert.ok(all.data.every((c) => !/^(staff|admin)-/.test(c.email)))
  })

  test('needs customers:read: a customer is refused, bad input is a 400', async () => {
    const customer = await ctx.tokenFor('customer')
    const refused = await ctx.as(customer).get('/v1/admin/customers')
    assert.equal(refused.statusCode, 403, refused.body)
    const anonymous = await ctx.as().get('/v1/admin/customers')
    assert.equal(anonymous.statusCode, 401, anonymous.body)
    for (const query of ['?limit=0', '?limit=101', '?q=', '?cursor=nonsense', '?sort=email']) {
      const res = await ctx.as(staff).get(`/v1/admin/customers${query}`)
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`)
    }
  })
})
