import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { openDatabase, type Database } from '../../src/platform/db/database.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { createVariants, errorCode, inventoryCaller, stockRow } from './support.js'

let ctx: TestContext
let staff: string
/** On PostgreSQL, a second pool on the same database, wide enough for real parallelism. */
let wide: Database

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
  if (engine === 'postgres') {
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(
      ctx.database.db,
    )
    const url = new URL(process.env.DATABASE_URL!)
    url.pathname = `/${rows[0]!.name}`
    wide = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 20 })
  } else {
    wide = ctx.database
  }
})
after(async () => {
  if (wide !== ctx.database) await wide.close()
  await ctx.close()
})

describe('concurrent reservations', () => {
  test('20 concurrent holds of 1 unit on 5 available: exactly 5 succeed, stock never below zero', async () => {
    const { variantIds } = await createVariants(ctx, staff, 5)
    const variantId = variantIds[0]!
    const inventory = inventoryCaller(ctx, wide)
    let lowest = Infinity
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        const row = await stockRow(ctx, variantId)
        lowest = Math.min(lowest, row.onHand - row.reserved)
        await new Promise((r) => setTimeout(r, 1))
      }
    })()
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        inventory.reserve(`order-${i}`, [{ variantId, quantity: 1 }]),
      ),
    )
    sampling = false
    await sampler
    const ok = results.filter((r) => r.status === 'fulfilled')
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    assert.equal(ok.length, 5)
    assert.equal(failed.length, 15)
    for (const f of failed) assert.equal(errorCode(f.reason), 'out_of_stock', String(f.reason))
    const row = await stockRow(ctx, variantId)
    assert.deepEqual({ onHand: row.onHand, reserved: row.reserved }, { onHand: 5, reserved: 5 })
    assert.ok(lowest >= 0, `available went to ${lowest}`)
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from inventory.reservation where variant_id = ${variantId}
    `.execute(ctx.database.db)
    assert.equal(rows[0]!.n, 5)
  })

  test('two multi-line holds in opposite line order do not deadlock', async () => {
    const { variantIds } = await createVariants(ctx, staff, 100, 100, 100)
    const [a, b, c] = variantIds as [string, string, string]
    const inventory = inventoryCaller(ctx, wide)
    const forward = [a, b, c].map((variantId) => ({ variantId, quantity: 1 }))
    const backward = [...forward].reverse()
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) =>
        inventory.reserve(`multi-${i}`, i % 2 === 0 ? forward : backward),
      ),
    )
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    assert.deepEqual(
      rejected.map((r) => String(r.reason)),
      [],
    )
    for (const id of [a, b, c]) assert.equal((await stockRow(ctx, id)).reserved, 16)
  })

  test('concurrent commit, release and the expiry job settle a reservation exactly once', async () => {
    const { variantIds } = await createVariants(ctx, staff, 10, 10)
    const items = variantIds.map((variantId) => ({ variantId, quantity: 2 }))
    const inventory = inventoryCaller(ctx, wide)
    await inventory.reserve('race-1', items, 60)
    // Expired without waiting: the hold's deadline is moved into the past.
    await sql`update inventory.reservation set expires_at = now() - interval '1 second'
      where reference = 'race-1'`.execute(ctx.database.db)
    const outcomes = await Promise.allSettled([
      inventory.commit('race-1'),
      inventory.release('race-1'),
      inventory.service.releaseExpired(),
      inventory.release('race-1'),
    ])
    const reservation = await inventory.service.getReservation('race-1')
    assert.ok(reservation)
    assert.equal(new Set(reservation.lines.map((l) => l.status)).size, 1, 'lines split')
    const expectedOnHand = reservation.status === 'committed' ? 8 : 10
    for (const id of variantIds)
      assert.deepEqual(await stockRow(ctx, id).then((r) => [r.onHand, r.reserved]), [
        expectedOnHand,
        0,
      ])
    for (const o of outcomes)
      if (o.status === 'rejected') assert.equal(errorCode(o.reason), 'reservation_released')
  })
})

describe('last line of defence', () => {
  test('the check constraints refuse reserved above on-hand and below zero', async () => {
    const { variantIds } = await createVariants(ctx, staff, 3)
    const variantId = variantIds[0]!
    await assert.rejects(
      sql`update inventory.stock_level set reserved = 4 where variant_id = ${variantId}`.execute(
        ctx.database.db,
      ),
      (e: { code?: string }) => e.code === '23514',
    )
    await assert.rejects(
      sql`update inventory.stock_level set reserved = -1 where variant_id = ${variantId}`.execute(
        ctx.database.db,
      ),
      (e: { code?: string }) => e.code === '23514',
    )
    assert.deepEqual(await stockRow(ctx, variantId).then((r) => [r.onHand, r.reserved]), [3, 0])
  })
})
