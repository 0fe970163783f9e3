import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { adminCall, createPromotion, redeemer, uniqueCode, type PromotionBody } from './support.js'

let ctx: TestContext
let staff: string

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
})
after(async () => {
  await ctx.close()
})

const BASE = '/v1/admin/promotions'
const eur = (amount: number) => ({ amount, currency: 'EUR' })

describe('admin promotions', () => {
  test('staff create each kind; codes are stored upper-case and unique case-insensitively', async () => {
    const code = uniqueCode('spring').toLowerCase()
    const res = await adminCall(ctx, staff, 'POST', BASE, {
      code,
      kind: 'percentage',
      percentOffBps: 1500,
      description: '15 % off',
      minimumSubtotal: [eur(2000), { amount: 2500, currency: 'USD' }],
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: '2099-01-01T00:00:00Z',
      usageLimit: 100,
      perCustomerLimit: 1,
    })
    assert.equal(res.statusCode, 201, res.body)
    assert.match(String(res.headers.etag), /^"v1"$/)
    const created = res.json() as PromotionBody
    assert.match(created.id, /^promo_[0-9a-z]{26}$/)
    assert.equal(created.code, code.toUpperCase())
    assert.deepEqual(
      { ...created, id: undefined, createdAt: undefined, updatedAt: undefined },
      {
        id: undefined,
        code: code.toUpperCase(),
        kind: 'percentage',
        description: '15 % off',
        percentOffBps: 1500,
        amountOff: null,
        minimumSubtotal: [eur(2000), { amount: 2500, currency: 'USD' }],
        startsAt: '2026-01-01T00:00:00.000Z',
        endsAt: '2099-01-01T00:00:00.000Z',
        usageLimit: 100,
        perCustomerLimit: 1,
        timesUsed: 0,
        active: true,
        createdAt: undefined,
        updatedAt: undefined,
      },
    )

    const fixed = await createPromotion(ctx, staff, { kind: 'fixed_amount', amountOff: [eur(500)] })
    assert.deepEqual(fixed.amountOff, [eur(500)])
    const free = await createPromotion(ctx, staff, { kind: 'free_shipping', active: false })
    assert.equal(free.active, false)

    const again = await adminCall(ctx, staff, 'POST', BASE, {
      code: code.toUpperCase(),
      kind: 'free_shipping',
    })
    assert.equal(again.statusCode, 409, again.body)
    assert.equal(again.json().code, 'promotion_code_taken')
  })

  test('invalid promotions are 400 with the offending fields', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'percentage' }, '/body/percentOffBps'],
      [{ kind: 'percentage', percentOffBps: 10_001 }, '/body/percentOffBps'],
      [{ kind: 'fixed_amount', amountOff: [eur(500)], percentOffBps: 10 }, '/body/percentOffBps'],
      [{ kind: 'fixed_amount' }, '/body/amountOff'],
      [{ kind: 'fixed_amount', amountOff: [eur(1), eur(2)] }, '/body/amountOff/1/currency'],
      [{ kind: 'free_shipping', amountOff: [eur(5)] }, '/body/amountOff'],
      [
        { kind: 'free_shipping', startsAt: '2026-02-01T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' },
        '/body/endsAt',
      ],
      [{ kind: 'free_shipping', code: 'no spaces' }, '/body/code'],
      [{ kind: 'free_shipping', usageLimit: 0 }, '/body/usageLimit'],
      [{ kind: 'bogus' }, '/body/kind'],
    ]
    for (const [body, path] of cases) {
      const res = await adminCall(ctx, staff, 'POST', BASE, { code: uniqueCode(), ...body })
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`)
      const problem = res.json() as { code: string; errors: { path: string }[] }
      assert.ok(
        problem.errors.some((e) => e.path.startsWith(path)),
        `${JSON.stringify(body)} → ${res.body}`,
      )
    }
  })

  test('only staff with promotions:manage reach the admin API', async () => {
    const customer = await ctx.tokenFor('customer')
    const denied = await adminCall(ctx, customer, 'GET', BASE)
    assert.equal(denied.statusCode, 403)
    assert.equal(denied.json().code, 'forbidden')
    const anonymous = await ctx.app.inject({ method: 'GET', url: BASE })
    assert.equal(anonymous.statusCode, 401)
    const admin = await ctx.tokenFor('admin')
    assert.equal((await adminCall(ctx, admin, 'GET', BASE)).statusCode, 200)
  })

  test('list newest first with limit and cursor; a foreign cursor is 400', async () => {
    const made: PromotionBody[] = []
    for (let i = 0; i < 3; i++)
      made.push(await createPromotion(ctx, staff, { kind: 'free_shipping' }))
    const first = await adminCall(ctx, staff, 'GET', `${BASE}?limit=2`)
    assert.equal(first.statusCode, 200, first.body)
    const page1 = first.json() as {
      data: PromotionBody[]
      page: { nextCursor: string; hasMore: boolean }
    }
    assert.deepEqual(
      page1.data.map((p) => p.id),
      [made[2]!.id, made[1]!.id],
    )
    assert.equal(page1.page.hasMore, true)
    const second = await adminCall(
      ctx,
      staff,
      'GET',
      `${BASE}?limit=2&cursor=${page1.page.nextCursor}`,
    )
    const page2 = second.json() as { data: PromotionBody[] }
    assert.equal(page2.data[0]!.id, made[0]!.id)
    const bad = await adminCall(ctx, staff, 'GET', `${BASE}?cursor=nonsense`)
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().code, 'invalid_cursor')
    assert.equal((await adminCall(ctx, staff, 'GET', `${BASE}?limit=101`)).statusCode, 400)
  })

  test('get, patch with If-Match, and a kind change that clears the old value', async () => {
    const promo = await createPromotion(ctx, staff, { kind: 'percentage', percentOffBps: 1000 })
    const url = `${BASE}/${promo.id}`
    const got = await adminCall(ctx, staff, 'GET', url)
    assert.equal(got.statusCode, 200)
    const etag = String(got.headers.etag)

    const patched = await adminCall(
      ctx,
      staff,
      'PATCH',
      url,
      { kind: 'fixed_amount', amountOff: [eur(700)], usageLimit: 3, description: 'seven off' },
      { 'if-match': etag },
    )
    assert.equal(patched.statusCode, 200, patched.body)
    const body = patched.json() as PromotionBody
    assert.equal(body.kind, 'fixed_amount')
    assert.equal(body.percentOffBps, null, 'the percentage went with the kind')
    assert.deepEqual(body.amountOff, [eur(700)])
    assert.equal(body.usageLimit, 3)
    assert.notEqual(patched.headers.etag, etag)

    const stale = await adminCall(ctx, staff, 'PATCH', url, { active: false }, { 'if-match': etag })
    assert.equal(stale.statusCode, 412)
    const cleared = await adminCall(ctx, staff, 'PATCH', url, { usageLimit: null, active: false })
    assert.equal(cleared.statusCode, 200)
    assert.deepEqual(
      [cleared.json().usageLimit, cleared.json().active, cleared.json().description],
      [null, false, 'seven off'],
    )
    const invalid = await adminCall(ctx, staff, 'PATCH', url, { kind: 'percentage' })
    assert.equal(invalid.statusCode, 400, 'percentage without percentOffBps')
    assert.equal((await adminCall(ctx, staff, 'PATCH', url, { code: 'X' })).statusCode, 400)

    const missing = await adminCall(ctx, staff, 'GET', `${BASE}/promo_nope`)
    assert.equal(missing.statusCode, 404)
    assert.equal(missing.json().code, 'promotion_not_found')
  })

  test('delete removes a promotion never used; a redeemed one is 409 promotion_in_use', async () => {
    const unused = await createPromotion(ctx, staff, { kind: 'free_shipping' })
    const deleted = await adminCall(ctx, staff, 'DELETE', `${BASE}/${unused.id}`)
    assert.equal(deleted.statusCode, 204)
    assert.equal((await adminCall(ctx, staff, 'GET', `${BASE}/${unused.id}`)).statusCode, 404)
    assert.equal((await adminCall(ctx, staff, 'DELETE', `${BASE}/${unused.id}`)).statusCode, 404)

    const used = await createPromotion(ctx, staff, { kind: 'free_shipping' })
    await redeemer(ctx).redeem({ code: used.code, orderId: `ord_${used.id}` })
    const refused = await adminCall(ctx, staff, 'DELETE', `${BASE}/${used.id}`)
    assert.equal(refused.statusCode, 409)
    assert.equal(refused.json().code, 'promotion_in_use')
    const after = (await adminCall(ctx, staff, 'GET', `${BASE}/${used.id}`)).json() as PromotionBody
    assert.equal(after.timesUsed, 1)
  })

  test('the OpenAPI document describes the promotion routes', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/openapi.json' })
    const doc = res.json() as { paths: Record<string, unknown> }
    assert.ok(doc.paths['/v1/admin/promotions'])
    assert.ok(doc.paths['/v1/admin/promotions/{id}'])
    assert.ok(doc.paths['/v1/carts/{id}/coupon'])
  })
})
