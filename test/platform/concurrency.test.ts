import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql, type Transaction } from 'kysely'
import type { Database } from '../../src/platform/db/database.js'
import {
  createTestContext,
  engine,
  openTestDatabase,
  uniqueSuffix,
  type TestContext,
} from '../helpers/context.js'

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

describe(`concurrent transactions on ${engine}`, () => {
  let database: Database
  let drop: () => Promise<void>

  before(async () => {
    ;({ database, drop } = await openTestDatabase())
    await sql`create table counter (id text primary key, value integer not null)`.execute(
      database.db,
    )
  })
  after(async () => {
    await database.close()
    await drop()
  })

  async function newCounter(): Promise<string> {
    const id = uniqueSuffix()
    await sql`insert into counter (id, value) values (${id}, 0)`.execute(database.db)
    return id
  }

  async function valueOf(id: string): Promise<number> {
    const result = await sql<{ value: number }>`select value from counter where id = ${id}`.execute(
      database.db,
    )
    const [row] = result.rows
    assert.ok(row, `counter ${id} exists`)
    return row.value
  }

  /**
   * Read, yield to the event loop, write back. On PGlite nothing but the driver's queue keeps
   * another transaction from running in between; on PostgreSQL the row lock does.
   */
  async function increment(trx: Transaction<unknown>, id: string): Promise<void> {
    const lock = engine === 'postgres' ? sql`for update` : sql``
    const read = await sql<{ value: number }>`
      select value from counter where id = ${id} ${lock}`.execute(trx)
    const value = read.rows[0]?.value ?? Number.NaN
    await tick()
    await sql`update counter set value = ${value + 1} where id = ${id}`.execute(trx)
  }

  test(
    '50 read-modify-write transactions neither interleave nor deadlock',
    { timeout: 30_000 },
    async () => {
      const id = await newCounter()
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () =>
          database.db.transaction().execute((trx) => increment(trx, id)),
        ),
      )

      assert.deepEqual(
        results.filter((r) => r.status === 'rejected'),
        [],
        'no transaction failed',
      )
      assert.equal(await valueOf(id), 50)
    },
  )

  test(
    'a transaction that fails rolls back and hands the connection on',
    { timeout: 30_000 },
    async () => {
      const id = await newCounter()
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          database.db.transaction().execute(async (trx) => {
            await increment(trx, id)
            if (i % 3 === 0) throw new Error(`planned failure ${i}`)
          }),
        ),
      )

      const failures = results.filter((r) => r.status === 'rejected')
      assert.equal(failures.length, 10)
      for (const failure of failures) assert.match(String(failure.reason), /planned failure/)
      assert.equal(await valueOf(id), 20, 'only the committed increments count')
    },
  )

  test(
    'queries outside a transaction queue between transactions and see only committed values',
    { timeout: 30_000 },
    async () => {
      const id = await newCounter()
      const work = await Promise.all([
        ...Array.from({ length: 20 }, () =>
          database.db.transaction().execute((trx) => increment(trx, id)),
        ),
        ...Array.from({ length: 20 }, () => valueOf(id)),
      ])

      const reads = work.slice(20) as number[]
      for (const value of reads) assert.ok(value >= 0 && value <= 20, `read ${value}`)
      assert.equal(await valueOf(id), 20)
    },
  )
})

describe(`concurrent HTTP requests on ${engine}`, () => {
  let ctx: TestContext
  let staff: string

  before(async () => {
    ctx = await createTestContext()
    staff = await ctx.tokenFor('staff')
  })
  after(async () => {
    await ctx.close()
  })

  function createProduct(i: number) {
    const suffix = uniqueSuffix()
    return ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/products',
      headers: { authorization: `Bearer ${staff}` },
      payload: {
        title: `Concurrent ${i} ${suffix}`,
        status: 'published',
        variants: [
          { sku: `CONC-${suffix}`, price: { amount: 1000 + i, currency: 'EUR' }, onHand: 5 },
        ],
      },
    })
  }

  test('50 listings and 10 admin creates at once all succeed', { timeout: 30_000 }, async () => {
    const first = await createProduct(-1)
    assert.equal(first.statusCode, 201, first.body)

    const listings = Array.from({ length: 50 }, () =>
      ctx.app.inject({ method: 'GET', url: '/v1/products?limit=5' }),
    )
    const creates = Array.from({ length: 10 }, (_, i) => createProduct(i))
    const [listed, created] = await Promise.all([Promise.all(listings), Promise.all(creates)])

    for (const res of listed) {
      assert.equal(res.statusCode, 200, res.body)
      const body = res.json() as { data: unknown[] }
      assert.ok(body.data.length >= 1 && body.data.length <= 5)
    }
    for (const res of created) assert.equal(res.statusCode, 201, res.body)

    const ids = new Set(created.map((res) => (res.json() as { id: string }).id))
    assert.equal(ids.size, 10)
    const listing = await ctx.app.inject({ method: 'GET', url: '/v1/products?limit=100' })
    const listedIds = new Set((listing.json() as { data: { id: string }[] }).data.map((p) => p.id))
    for (const id of ids) assert.ok(listedIds.has(id), `${id} is listed`)
  })
})
