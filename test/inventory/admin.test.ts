import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { createVariants, inventoryCaller, outboxEvents } from './support.js'

let ctx: TestContext
let auth: { authorization: string }

before(async () => {
  ctx = await createTestContext()
  auth = { authorization: `Bearer ${await ctx.tokenFor('staff')}` }
})
after(() => ctx.close())

describe('admin inventory', () => {
  test('the low-stock threshold is settable under If-Match and drives inventory.low_stock', async () => {
    const { variantIds } = await createVariants(ctx, auth.authorization.slice(7), 12)
    const variantId = variantIds[0]!
    const url = `/v1/admin/inventory/${variantId}`
    const read = await ctx.app.inject({ method: 'GET', url, headers: auth })
    const etag = String(read.headers.etag)
    const put = await ctx.app.inject({
      method: 'PUT',
      url,
      headers: { ...auth, 'if-match': etag },
      payload: { lowStockThreshold: 12 },
    })
    assert.equal(put.statusCode, 200, put.body)
    assert.deepEqual(
      { onHand: put.json().onHand, threshold: put.json().lowStockThreshold },
      { onHand: 12, threshold: 12 },
    )
    const stale = await ctx.app.inject({
      method: 'PUT',
      url,
      headers: { ...auth, 'if-match': etag },
      payload: { lowStockThreshold: 3 },
    })
    assert.equal(stale.statusCode, 412)
    const empty = await ctx.app.inject({ method: 'PUT', url, headers: auth, payload: {} })
    assert.equal(empty.statusCode, 400)
    assert.deepEqual(
      (await outboxEvents(ctx, variantId)).map((e) => [e.type, e.payload.available]),
      [
        ['inventory.stock_changed', 12],
        ['inventory.low_stock', 12],
      ],
    )
  })

  test('staff see a variant’s held reservations and its reserved and available figures', async () => {
    const { variantIds } = await createVariants(ctx, auth.authorization.slice(7), 9)
    const variantId = variantIds[0]!
    const inventory = inventoryCaller(ctx)
    await inventory.reserve('ord_a', [{ variantId, quantity: 2 }], 60)
    await inventory.reserve('ord_b', [{ variantId, quantity: 3 }], 600)
    await inventory.reserve('ord_c', [{ variantId, quantity: 1 }], 600)
    await inventory.commit('ord_c')
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/v1/admin/inventory/${variantId}/reservations`,
      headers: auth,
    })
    assert.equal(list.statusCode, 200, list.body)
    const data = (
      list.json() as { data: { reference: string; quantity: number; status: string }[] }
    ).data
    assert.deepEqual(
      data.map((r) => [r.reference, r.quantity, r.status]),
      [
        ['ord_a', 2, 'held'],
        ['ord_b', 3, 'held'],
      ],
    )
    const level = await ctx.app.inject({
      method: 'GET',
      url: `/v1/admin/inventory/${variantId}`,
      headers: auth,
    })
    assert.deepEqual(
      {
        onHand: level.json().onHand,
        reserved: level.json().reserved,
        available: level.json().available,
      },
      { onHand: 8, reserved: 5, available: 3 },
    )
    const below = await ctx.app.inject({
      method: 'PUT',
      url: `/v1/admin/inventory/${variantId}`,
      headers: auth,
      payload: { onHand: 4 },
    })
    assert.equal(below.statusCode, 409)
    const missing = await ctx.app.inject({
      method: 'GET',
      url: '/v1/admin/inventory/var_missing/reservations',
      headers: auth,
    })
    assert.equal(missing.statusCode, 404)
    const customer = await ctx.tokenFor('customer')
    const forbidden = await ctx.app.inject({
      method: 'GET',
      url: `/v1/admin/inventory/${variantId}/reservations`,
      headers: { authorization: `Bearer ${customer}` },
    })
    assert.equal(forbidden.statusCode, 403)
  })
})
