import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { createVariants, errorCode, inventoryCaller, outboxEvents, stockRow } from './support.js'

let ctx: TestContext
let staff: string
let inventory: ReturnType<typeof inventoryCaller>

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
  inventory = inventoryCaller(ctx)
})
after(() => ctx.close())

const figures = (variantId: string) =>
  stockRow(ctx, variantId).then((r) => ({ onHand: r.onHand, reserved: r.reserved }))

async function rejectsWith(promise: Promise<unknown>, code: string) {
  await assert.rejects(promise, (e) => errorCode(e) === code || assert.fail(String(e)))
}

describe('reserve', () => {
  test('a multi-line hold with one short line fails with out_of_stock and holds nothing', async () => {
    const { variantIds } = await createVariants(ctx, staff, 5, 3)
    const [a, b] = variantIds as [string, string]
    const items = [
      { variantId: a, quantity: 1 },
      { variantId: b, quantity: 10 },
    ]
    const error = await inventory.reserve('short-1', items).then(
      () => assert.fail('reserved'),
      (e: unknown) => e as { code: string; kind: string; extra: { shortages: unknown[] } },
    )
    assert.equal(error.code, 'out_of_stock')
    assert.equal(error.kind, 'conflict')
    assert.deepEqual(error.extra.shortages, [{ variantId: b, requested: 10, available: 3 }])
    // Even a caller that swallows the error and commits holds nothing.
    await inventory.run((tx) => inventory.service.reserve(tx, 'short-2', items, 60).catch(() => 0))
    assert.deepEqual(await figures(a), { onHand: 5, reserved: 0 })
    assert.deepEqual(await figures(b), { onHand: 3, reserved: 0 })
    assert.equal(await inventory.service.getReservation('short-1'), undefined)
    assert.equal(await inventory.service.getReservation('short-2'), undefined)
    assert.deepEqual(await outboxEvents(ctx, a), [])
  })

  test('reserving again for a reference with the same lines returns the existing hold', async () => {
    const { variantIds } = await createVariants(ctx, staff, 10, 10)
    const [a, b] = variantIds as [string, string]
    const first = await inventory.reserve('again-1', [
      { variantId: b, quantity: 3 },
      { variantId: a, quantity: 2 },
    ])
    assert.equal(first.status, 'held')
    assert.ok(first.lines.every((l) => l.id.startsWith('res_')))
    const second = await inventory.reserve('again-1', [
      { variantId: a, quantity: 1 },
      { variantId: b, quantity: 3 },
      { variantId: a, quantity: 1 },
    ])
    assert.deepEqual(second, first)
    assert.deepEqual(await figures(a), { onHand: 10, reserved: 2 })
    await rejectsWith(
      inventory.reserve('again-1', [{ variantId: a, quantity: 5 }]),
      'reservation_mismatch',
    )
    await rejectsWith(inventory.reserve('again-2', []), 'validation_failed')
    await rejectsWith(
      inventory.reserve('again-2', [{ variantId: a, quantity: 0 }]),
      'validation_failed',
    )
    await rejectsWith(
      inventory.reserve('again-2', [{ variantId: 'var_unknown', quantity: 1 }]),
      'stock_level_not_found',
    )
  })

  test('each hold emits stock_changed with absolute figures and low_stock when crossing', async () => {
    const { variantIds } = await createVariants(ctx, staff, 8)
    const variantId = variantIds[0]!
    await inventory.reserve('events-1', [{ variantId, quantity: 2 }]) // 6 left, threshold 5
    await inventory.reserve('events-2', [{ variantId, quantity: 2 }]) // 4 left: crosses
    await inventory.reserve('events-3', [{ variantId, quantity: 1 }]) // already low
    const events = await outboxEvents(ctx, variantId)
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'inventory.stock_changed',
        'inventory.stock_changed',
        'inventory.low_stock',
        'inventory.stock_changed',
      ],
    )
    assert.deepEqual(events[1]!.payload, {
      variantId,
      onHand: 8,
      reserved: 4,
      available: 4,
      version: 3,
    })
    assert.deepEqual(events[2]!.payload, { variantId, available: 4, threshold: 5 })
  })
})

describe('commit, release, restock', () => {
  test('commit sells held units, restock returns them; both are idempotent', async () => {
    const { variantIds } = await createVariants(ctx, staff, 10, 10)
    const [a, b] = variantIds as [string, string]
    await inventory.reserve('order-1', [
      { variantId: a, quantity: 2 },
      { variantId: b, quantity: 3 },
    ])
    await rejectsWith(inventory.restock('order-1'), 'reservation_not_committed')
    const committed = await inventory.commit('order-1')
    assert.equal(committed.status, 'committed')
    assert.deepEqual(await figures(a), { onHand: 8, reserved: 0 })
    assert.deepEqual(await figures(b), { onHand: 7, reserved: 0 })
    assert.equal((await inventory.commit('order-1')).status, 'committed')
    assert.equal((await inventory.release('order-1'))?.status, 'committed')
    assert.deepEqual(await figures(b), { onHand: 7, reserved: 0 })
    const restocked = await inventory.restock('order-1')
    assert.equal(restocked.status, 'released')
    assert.equal((await inventory.restock('order-1')).status, 'released')
    assert.deepEqual(await figures(a), { onHand: 10, reserved: 0 })
    assert.deepEqual(await figures(b), { onHand: 10, reserved: 0 })
    const last = (await outboxEvents(ctx, b)).at(-1)!
    assert.deepEqual(last.payload, {
      variantId: b,
      onHand: 10,
      reserved: 0,
      available: 10,
      version: 4,
    })
  })

  test('release gives held units back once; a released hold cannot be committed or renewed', async () => {
    const { variantIds } = await createVariants(ctx, staff, 4)
    const variantId = variantIds[0]!
    await inventory.reserve('order-2', [{ variantId, quantity: 4 }])
    assert.deepEqual(await figures(variantId), { onHand: 4, reserved: 4 })
    assert.equal((await inventory.release('order-2'))?.status, 'released')
    assert.equal((await inventory.release('order-2'))?.status, 'released')
    assert.deepEqual(await figures(variantId), { onHand: 4, reserved: 0 })
    await rejectsWith(inventory.commit('order-2'), 'reservation_released')
    await rejectsWith(
      inventory.reserve('order-2', [{ variantId, quantity: 4 }]),
      'reservation_released',
    )
    assert.equal(await inventory.release('order-unknown'), undefined)
    await rejectsWith(inventory.commit('order-unknown'), 'reservation_not_found')
    await rejectsWith(inventory.restock('order-unknown'), 'reservation_not_found')
  })
})

describe('expiry', () => {
  test('the scheduled job releases only expired holds and the storefront follows', async () => {
    const { productId, variantIds } = await createVariants(ctx, staff, 1, 5)
    const [a, b] = variantIds as [string, string]
    await inventory.reserve('expiring', [{ variantId: a, quantity: 1 }])
    await inventory.reserve('fresh', [{ variantId: b, quantity: 2 }])
    await ctx.runtime.relay.drain()
    const inStock = async () => {
      const res = await ctx.app.inject({ method: 'GET', url: `/v1/products/${productId}` })
      return (res.json() as { variants: { id: string; inStock: boolean }[] }).variants.find(
        (v) => v.id === a,
      )!.inStock
    }
    assert.equal(await inStock(), false)
    await sql`update inventory.reservation set expires_at = now() - interval '1 second'
      where reference = 'expiring'`.execute(ctx.database.db)
    const job = ctx.runtime.modules.inventory.runtime.jobs?.find(
      (j) => j.name === 'inventory.release-expired',
    )
    assert.equal(job?.schedule, '* * * * *')
    await job.handler({})
    assert.equal((await inventory.service.getReservation('expiring'))?.status, 'released')
    assert.equal((await inventory.service.getReservation('fresh'))?.status, 'held')
    assert.deepEqual(await figures(a), { onHand: 1, reserved: 0 })
    assert.deepEqual(await figures(b), { onHand: 5, reserved: 2 })
    assert.deepEqual((await outboxEvents(ctx, a)).at(-1)?.payload, {
      variantId: a,
      onHand: 1,
      reserved: 0,
      available: 1,
      version: 3,
    })
    await ctx.runtime.relay.drain()
    assert.equal(await inStock(), true)
    assert.equal(await inventory.service.releaseExpired(), 0)
  })

  test('expired holds are released in batches until none is left', async () => {
    const { variantIds } = await createVariants(ctx, staff, 50)
    const variantId = variantIds[0]!
    for (let i = 0; i < 7; i++) await inventory.reserve(`batch-${i}`, [{ variantId, quantity: 2 }])
    await sql`update inventory.reservation set expires_at = now() - interval '1 second'
      where variant_id = ${variantId}`.execute(ctx.database.db)
    assert.equal(await inventory.service.releaseExpired({ batchSize: 3 }), 7)
    assert.deepEqual(await figures(variantId), { onHand: 50, reserved: 0 })
  })
})
