import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { inventoryCaller } from './support.js'

interface Item {
  variantId: string
  productId: string
  productTitle: string
  sku: string
  title: string
  onHand: number
  reserved: number
  available: number
  lowStockThreshold: number
}
interface ListBody {
  data: Item[]
  page: { nextCursor: string | null; hasMore: boolean }
}

describe(`GET /v1/admin/inventory/low-stock on ${engine}`, () => {
  let ctx: TestContext
  let staff: string

  before(async () => {
    ctx = await createTestContext()
    staff = await ctx.tokenFor('staff')
  })
  after(async () => {
    await ctx.close()
  })

  async function list(query = ''): Promise<ListBody> {
    const res = await ctx.as(staff).get(`/v1/admin/inventory/low-stock${query}`)
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.headers['cache-control'], 'no-store')
    return res.json() as ListBody
  }

  /** Every page at `limit`, following the cursor to the end. */
  async function allPages(limit: number): Promise<Item[]> {
    const items: Item[] = []
    let cursor: string | null = null
    do {
      const body = await list(`?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
      assert.ok(body.data.length <= limit)
      items.push(...body.data)
      cursor = body.page.nextCursor
      assert.equal(body.page.hasMore, cursor !== null)
    } while (cursor)
    return items
  }

  test('lists the variants at or below their threshold, least available first, page by page', async () => {
    const apron = await createProduct(ctx, staff, {
      title: 'Linen Apron',
      variants: [
        { sku: 'APRON-LOW', onHand: 2, options: { size: 's' } },
        { sku: 'APRON-PLENTY', onHand: 50, options: { size: 'm' } },
        { sku: 'APRON-EDGE', onHand: 5, options: { size: 'l' } },
        { sku: 'APRON-OUT', onHand: 0, options: { size: 'xl' } },
      ],
    })
    const mug = await createProduct(ctx, staff, {
      title: 'Stoneware Mug',
      variants: [
        { sku: 'MUG-TWO', onHand: 2 },
        { sku: 'MUG-RAISED', onHand: 8, options: { colour: 'blue' } },
      ],
    })
    // A threshold of its own: 8 on hand is low when the threshold is 10.
    const raised = mug.variants.find((v) => v.sku === 'MUG-RAISED')!
    const put = await ctx
      .as(staff)
      .put(`/v1/admin/inventory/${raised.id}`, { lowStockThreshold: 10 })
    assert.equal(put.statusCode, 200, put.body)
    // Reserved units are not available: 7 on hand with 3 held is 4 available, below 5.
    const held = await createProduct(ctx, staff, {
      title: 'Held Tote',
      variants: [{ sku: 'TOTE-HELD', onHand: 7 }],
    })
    await inventoryCaller(ctx).reserve('ord_low_stock_test', [
      { variantId: held.variants[0]!.id, quantity: 3 },
    ])

    const whole = await list('?limit=100')
    const bySku = whole.data.map((i) => [i.sku, i.available])
    const twos = [apron.variants[0]!, mug.variants[0]!]
      .map((v) => v.id)
      .sort()
      .map((id) => (id === apron.variants[0]!.id ? 'APRON-LOW' : 'MUG-TWO'))
    assert.deepEqual(bySku, [
      ['APRON-OUT', 0],
      [twos[0], 2],
      [twos[1], 2],
      ['TOTE-HELD', 4],
      ['APRON-EDGE', 5],
      ['MUG-RAISED', 8],
    ])
    const tote = whole.data.find((i) => i.sku === 'TOTE-HELD')!
    assert.equal(tote.productId, held.id)
    assert.equal(tote.productTitle, 'Held Tote')
    assert.deepEqual([tote.onHand, tote.reserved, tote.lowStockThreshold], [7, 3, 5])
    assert.equal(whole.data.find((i) => i.sku === 'MUG-RAISED')!.lowStockThreshold, 10)
    assert.deepEqual(whole.page, { nextCursor: null, hasMore: false })

    // Pages of 2 and of 4 walk the same list, ties on availability included.
    assert.deepEqual(await allPages(2), whole.data)
    assert.deepEqual(await allPages(4), whole.data)
  })

  test('a deleted product’s variants are not listed', async () => {
    const gone = await createProduct(ctx, staff, {
      title: 'Discontinued Scarf',
      variants: [{ sku: 'SCARF-GONE', onHand: 1 }],
    })
    assert.ok((await list('?limit=100')).data.some((i) => i.sku === 'SCARF-GONE'))
    const admin = await ctx.tokenFor('admin')
    const res = await ctx.as(admin).delete(`/v1/admin/products/${gone.id}`)
    assert.ok(res.statusCode === 204 || res.statusCode === 200, res.body)
    assert.ok(!(await list('?limit=100')).data.some((i) => i.sku === 'SCARF-GONE'))
  })

  test('needs catalog:read; a bad limit or cursor is a 400', async () => {
    const customer = await ctx.tokenFor('customer')
    assert.equal((await ctx.as(customer).get('/v1/admin/inventory/low-stock')).statusCode, 403)
    assert.equal((await ctx.as().get('/v1/admin/inventory/low-stock')).statusCode, 401)
    const forged = Buffer.from(JSON.stringify(['two', 'var_x'])).toString('base64url')
    for (const query of ['?limit=0', '?limit=101', '?cursor=nonsense', `?cursor=${forged}`]) {
      const res = await ctx.as(staff).get(`/v1/admin/inventory/low-stock${query}`)
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`)
    }
  })
})
