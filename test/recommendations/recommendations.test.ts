import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { createCategory } from '../helpers/catalog.js'
import { buy, counts, pairRows, paidEvent, product, recommendations, settle } from './support.js'

let ctx: TestContext
let staff: string

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
})
after(async () => {
  await ctx.close()
})

describe('bought together', () => {
  test('a product bought with B in 3 orders and with C in 1 ranks B before C', async () => {
    const a = await product(ctx, staff, 'Espresso Tamper')
    const b = await product(ctx, staff, 'Milk Frothing Jug')
    const c = await product(ctx, staff, 'Descaling Tablets')
    for (let i = 0; i < 3; i++) await buy(ctx, a, b)
    await buy(ctx, a, c)
    await settle(ctx)

    assert.deepEqual(await counts(ctx, a.id, b.id), { pair: 3, orders: 4 })
    assert.deepEqual(await counts(ctx, b.id, a.id), { pair: 3, orders: 3 })
    assert.deepEqual(await counts(ctx, a.id, c.id), { pair: 1, orders: 4 })
    const ids = await recommendations(ctx, a.id)
    assert.deepEqual(ids.slice(0, 2), [b.id, c.id])
    assert.ok(!ids.includes(a.id), 'never the product itself')
    assert.deepEqual((await recommendations(ctx, b.slug)).slice(0, 1), [a.id], 'by slug too')
  })

  test('a bestseller that co-occurs by chance does not outrank a strong pair', async () => {
    const a = await product(ctx, staff, 'Sourdough Proofing Basket')
    const b = await product(ctx, staff, 'Bread Lame Razor')
    const bestseller = await product(ctx, staff, 'Paper Shopping Bag')
    for (let i = 0; i < 2; i++) await buy(ctx, a, b)
    for (let i = 0; i < 3; i++) await buy(ctx, a, bestseller)
    for (let i = 0; i < 7; i++) await buy(ctx, bestseller)
    await settle(ctx)

    // The bestseller was bought with A more often (3 > 2), but in 10 orders in all:
    // cosine(A, B) = 2 / √(5 · 2) ≈ 0.63 against cosine(A, bag) = 3 / √(5 · 10) ≈ 0.42.
    assert.equal((await counts(ctx, a.id, bestseller.id)).pair, 3)
    assert.equal((await counts(ctx, a.id, b.id)).pair, 2)
    const ids = await recommendations(ctx, a.id)
    assert.deepEqual(ids.slice(0, 2), [b.id, bestseller.id])
  })

  test('unpublished and out-of-stock products never appear', async () => {
    const a = await product(ctx, staff, 'Climbing Chalk Bag')
    const hidden = await product(ctx, staff, 'Belay Device')
    const soldOut = await product(ctx, staff, 'Locking Carabiner', { onHand: 2 })
    const kept = await product(ctx, staff, 'Fingerboard Hangboard')
    for (let i = 0; i < 2; i++) await buy(ctx, a, hidden, soldOut, kept)
    await settle(ctx)
    const before = await recommendations(ctx, a.id)
    assert.deepEqual(before.slice(0, 2).sort(), [hidden.id, kept.id].sort())
    assert.ok(!before.includes(soldOut.id), 'its two units went to the two orders')

    const res = await ctx.as(staff).patch(`/v1/admin/products/${hidden.id}`, { status: 'draft' })
    assert.equal(res.statusCode, 200, res.body)
    await settle(ctx)
    const ids = await recommendations(ctx, a.id)
    assert.equal(ids[0], kept.id)
    assert.ok(!ids.includes(hidden.id), 'an unpublished product is not recommended')
    assert.ok(!ids.includes(soldOut.id), 'an out-of-stock product is not recommended')
    assert.ok(!ids.includes(a.id))
  })

  test('the same event delivered twice counts once', async () => {
    const a = await product(ctx, staff, 'Watercolour Brush Set')
    const b = await product(ctx, staff, 'Cold Press Paper Pad')
    const order = await buy(ctx, a, b)
    await settle(ctx)
    assert.deepEqual(await counts(ctx, a.id, b.id), { pair: 1, orders: 1 })

    const event = await paidEvent(ctx, order.id)
    const counting = ctx.runtime.modules.recommendations.runtime.subscriptions?.find(
      (s) => s.type === 'order.paid',
    )
    assert.ok(counting)
    // Straight to the handler, past the bus's own check: the handler's claim refuses it.
    await counting.handler(event)
    await counting.handler(event)
    // And again through the bus.
    await ctx.runtime.bus.publish(event)
    assert.deepEqual(await counts(ctx, a.id, b.id), { pair: 1, orders: 1 })
    assert.deepEqual(await counts(ctx, b.id, a.id), { pair: 1, orders: 1 })
  })

  test('an order pairs at most its 20 products with the largest line totals', async () => {
    const lines = []
    // 22 products: the two cheapest lines fall outside the cap.
    for (let i = 0; i < 22; i++)
      lines.push(
        await product(ctx, staff, `Bulk Item ${String.fromCharCode(65 + i)}x${i}`, {
          price: 5000 - i * 100,
        }),
      )
    await buy(ctx, ...lines)
    await settle(ctx)
    const rows = await pairRows(
      ctx,
      lines.map((l) => l.id),
    )
    for (const [i, line] of lines.entries()) {
      assert.equal(
        (await counts(ctx, line.id, lines[0]!.id)).orders,
        1,
        'every product counts its order',
      )
      assert.equal(rows.get(line.id) ?? 0, i < 20 ? 19 : 0, `product ${i}`)
    }
  })

  test('a recommendation shows up once the order’s event is processed', async () => {
    const a = await product(ctx, staff, 'Snorkel Mask')
    const b = await product(ctx, staff, 'Swim Fins')
    await buy(ctx, a, b)
    assert.ok(!(await recommendations(ctx, a.id)).includes(b.id), 'not before the event')
    await settle(ctx)
    assert.deepEqual((await recommendations(ctx, a.id)).slice(0, 1), [b.id])
  })
})

describe('similar products', () => {
  test('fill up with same-category, then similar-text products for a product with no orders', async () => {
    const lighting = await createCategory(ctx, staff, 'Lighting')
    const other = await createCategory(ctx, staff, 'Outdoor')
    const lamp = await product(ctx, staff, 'Walnut Desk Lamp', { categoryIds: [lighting.id] })
    const pendant = await product(ctx, staff, 'Brass Pendant Light', {
      categoryIds: [lighting.id],
    })
    const lantern = await product(ctx, staff, 'Paper Lantern Shade', {
      categoryIds: [lighting.id, other.id],
    })
    const organizer = await product(ctx, staff, 'Walnut Desk Organizer')
    const hose = await product(ctx, staff, 'Garden Hose Reel', { categoryIds: [other.id] })
    const unpublished = await product(ctx, staff, 'Walnut Desk Clock', { status: 'draft' })
    const empty = await product(ctx, staff, 'Oak Desk Lamp', {
      categoryIds: [lighting.id],
      onHand: 0,
    })

    const ids = await recommendations(ctx, lamp.id)
    assert.deepEqual(ids.slice(0, 2).sort(), [pendant.id, lantern.id].sort())
    assert.equal(ids[2], organizer.id, 'then the similar title')
    for (const absent of [lamp, hose, unpublished, empty])
      assert.ok(!ids.includes(absent.id), `${absent.slug} is not recommended`)
  })
})

describe('the endpoint', () => {
  test('limit, 404, and caching headers', async () => {
    const category = await createCategory(ctx, staff, 'Tea')
    const teas = []
    for (const title of ['Sencha Green Tea', 'Assam Black Tea', 'Rooibos Herbal Tea', 'Oolong'])
      teas.push(await product(ctx, staff, title, { categoryIds: [category.id] }))
    const first = teas[0]!

    assert.equal((await recommendations(ctx, first.id, '?limit=2')).length, 2)
    assert.equal((await recommendations(ctx, first.id)).length, 3, 'all there is, under 8')
    for (const limit of ['0', '25', 'x']) {
      const res = await ctx.as().get(`/v1/products/${first.id}/recommendations?limit=${limit}`)
      assert.equal(res.statusCode, 400, `limit=${limit}`)
    }

    const unknown = await ctx.as().get('/v1/products/no-such-product/recommendations')
    assert.equal(unknown.statusCode, 404)
    assert.equal(unknown.json().code, 'product_not_found')
    const draft = await product(ctx, staff, 'Unreleased Matcha Whisk', { status: 'draft' })
    assert.equal((await ctx.as().get(`/v1/products/${draft.id}/recommendations`)).statusCode, 404)

    const res = await ctx.as().get(`/v1/products/${first.slug}/recommendations`)
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['cache-control']), /^public, max-age=30\b/)
    const etag = res.headers.etag
    assert.ok(typeof etag === 'string' && etag.length > 0)
    const again = await ctx.app.inject({
      method: 'GET',
      url: `/v1/products/${first.slug}/recommendations`,
      headers: { 'if-none-match': etag },
    })
    assert.equal(again.statusCode, 304)
  })
})
