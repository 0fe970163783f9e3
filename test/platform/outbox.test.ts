import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createUnitOfWork, type UnitOfWork } from '../../src/platform/db/unit-of-work.js'
import { appendEvents } from '../../src/platform/events/outbox.js'
import { createInProcessBus } from '../../src/platform/events/in-process-bus.js'
import { createOutboxRelay } from '../../src/platform/events/relay.js'
import type { DomainEvent, NewEvent } from '../../src/platform/events/types.js'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { eventually } from './support.js'

interface OutboxRow {
  id: string
  type: string
  aggregate_id: string
  attempts: number
  published_at: Date | null
}

let ctx: TestContext
let uow: UnitOfWork

before(async () => {
  ctx = await createTestContext()
  uow = createUnitOfWork(ctx.database.db, () => {})
  await sql`create table test_thing (id text primary key)`.execute(ctx.database.db)
})
after(async () => {
  await ctx.close()
})

function newEvent(
  type: string,
  aggregateId: string,
  payload: Record<string, unknown> = {},
): NewEvent {
  return { type, aggregateType: 'test', aggregateId, payload }
}

async function outboxRows(aggregateId: string): Promise<OutboxRow[]> {
  const result = await sql<OutboxRow>`
    select id, type, aggregate_id, attempts, published_at from platform.outbox
    where aggregate_id = ${aggregateId} order by position`.execute(ctx.database.db)
  return result.rows
}

async function thingCount(id: string): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from test_thing where id = ${id}`.execute(ctx.database.db)
  return result.rows[0]?.n ?? 0
}

/** Subscribes to a fresh event type on the runtime's bus and records what arrives. */
function listen(): { type: string; seen: DomainEvent[] } {
  const type = `test.happened.${uniqueSuffix()}`
  const seen: DomainEvent[] = []
  ctx.runtime.bus.subscribe(type, 'test', async (event) => void seen.push(event))
  return { type, seen }
}

describe(`transactional outbox on ${engine}`, () => {
  test('when the transaction throws, neither the change nor its event is kept or published', async () => {
    const { type, seen } = listen()
    const aggregateId = `agg_${uniqueSuffix()}`

    await assert.rejects(
      uow.run(async (trx, emit) => {
        await sql`insert into test_thing (id) values (${aggregateId})`.execute(trx)
        emit(newEvent(type, aggregateId))
        throw new Error('the change failed')
      }),
      /the change failed/,
    )
    await ctx.runtime.relay.drain()

    assert.deepEqual(seen, [])
    assert.deepEqual(await outboxRows(aggregateId), [])
    assert.equal(await thingCount(aggregateId), 0)
  })

  test('an appended event is rolled back with its transaction', async () => {
    const { type, seen } = listen()
    const aggregateId = `agg_${uniqueSuffix()}`

    await assert.rejects(
      ctx.database.db.transaction().execute(async (trx) => {
        await appendEvents(trx, [newEvent(type, aggregateId)])
        await sql`select 1 / 0`.execute(trx)
      }),
      /division by zero/,
    )
    await ctx.runtime.relay.drain()

    assert.deepEqual(seen, [])
    assert.deepEqual(await outboxRows(aggregateId), [])
  })

  test('a change and its event commit together', async () => {
    const { type, seen } = listen()
    const aggregateId = `agg_${uniqueSuffix()}`

    await uow.run(async (trx, emit) => {
      await sql`insert into test_thing (id) values (${aggregateId})`.execute(trx)
      emit(newEvent(type, aggregateId))
    })

    assert.equal(await thingCount(aggregateId), 1)
    assert.equal((await outboxRows(aggregateId)).length, 1)
    assert.deepEqual(seen, [], 'nothing is published from inside the request')
  })

  test('a committed event is delivered exactly once by drain and marked published', async () => {
    const { type, seen } = listen()
    const aggregateId = `agg_${uniqueSuffix()}`

    const value = await uow.run(async (_trx, emit) => {
      emit(newEvent(type, aggregateId, { answer: 42 }))
      return 'done'
    })
    assert.equal(value, 'done')
    const [pending] = await outboxRows(aggregateId)
    assert.equal(pending?.published_at, null, 'stored, not yet published')

    await ctx.runtime.relay.drain()
    await ctx.runtime.relay.drain()

    assert.equal(seen.length, 1)
    const [event] = seen
    assert.ok(event && pending)
    assert.equal(event.id, pending.id)
    assert.equal(event.type, type)
    assert.equal(event.aggregateType, 'test')
    assert.equal(event.aggregateId, aggregateId)
    assert.deepEqual(event.payload, { answer: 42 })
    assert.ok(!Number.isNaN(Date.parse(event.occurredAt)))
    const [published] = await outboxRows(aggregateId)
    assert.ok(published?.published_at instanceof Date, 'marked published')
    assert.equal(published.attempts, 1)
  })

  test('the events of one aggregate arrive in commit order', async () => {
    const { type, seen } = listen()
    const aggregateId = `agg_${uniqueSuffix()}`
    const otherId = `agg_${uniqueSuffix()}`

    for (let i = 0; i < 4; i++) {
      await uow.run(async (_trx, emit) => emit(newEvent(type, aggregateId, { seq: i })))
      await uow.run(async (_trx, emit) => emit(newEvent(type, otherId, { seq: i })))
    }
    await uow.run(async (_trx, emit) =>
      emit(newEvent(type, aggregateId, { seq: 4 }), newEvent(type, aggregateId, { seq: 5 })),
    )
    await ctx.runtime.relay.drain()

    const sequence = (id: string) =>
      seen.filter((e) => e.aggregateId === id).map((e) => e.payload.seq)
    assert.deepEqual(sequence(aggregateId), [0, 1, 2, 3, 4, 5])
    assert.deepEqual(sequence(otherId), [0, 1, 2, 3])
  })
})

describe(`outbox relay retries on ${engine}`, () => {
  test(
    'a failing handler leaves the event unpublished; it is delivered again once its lease ends',
    { timeout: 30_000 },
    async () => {
      const bus = createInProcessBus(ctx.runtime.logger, ctx.database.db)
      const relay = createOutboxRelay(ctx.database.db, bus, ctx.runtime.logger, {
        leaseSeconds: 1,
        retryBaseSeconds: 1,
      })
      const type = `test.flaky.${uniqueSuffix()}`
      const aggregateId = `agg_${uniqueSuffix()}`
      const attempts: unknown[] = []
      const delivered: unknown[] = []
      let failuresLeft = 1
      bus.subscribe(type, 'flaky', async (event) => {
        attempts.push(event.payload.seq)
        if (event.payload.seq === 0 && failuresLeft-- > 0) throw new Error('consumer is down')
        delivered.push(event.payload.seq)
      })

      for (let seq = 0; seq < 3; seq++) {
        await uow.run(async (_trx, emit) => emit(newEvent(type, aggregateId, { seq })))
      }
      await relay.drain()

      assert.deepEqual(attempts, [0], 'later events of the aggregate wait behind the failed one')
      assert.deepEqual(delivered, [])
      let rows = await outboxRows(aggregateId)
      const failed = rows[0]
      assert.ok(failed)
      assert.ok(rows.every((r) => r.published_at === null))
      assert.equal(failed.attempts, 1)
      assert.ok(
        ctx.logs.some((l) => l.msg === 'event handler failed' && l.eventId === failed.id),
        'the failure is logged with the event id',
      )

      await relay.drain()
      assert.deepEqual(attempts, [0], 'a leased event is not retried before its lease ends')

      await eventually(
        async () => {
          await relay.drain()
          return delivered.length === 3
        },
        { timeoutMs: 5000, intervalMs: 200, what: 'the retry after the lease' },
      )
      assert.deepEqual(attempts, [0, 0, 1, 2])
      assert.deepEqual(delivered, [0, 1, 2])
      rows = await outboxRows(aggregateId)
      assert.ok(rows.every((r) => r.published_at instanceof Date))
      assert.equal(rows[0]?.attempts, 2)

      await relay.drain()
      assert.equal(attempts.length, 4, 'published events are not delivered again')
      await relay.stop()
    },
  )

  test('a consumer that keeps failing is retried with exponential backoff, its aggregate held back', async () => {
    const bus = createInProcessBus(ctx.runtime.logger, ctx.database.db)
    const relay = createOutboxRelay(ctx.database.db, bus, ctx.runtime.logger, { leaseSeconds: 1 })
    const type = `test.down.${uniqueSuffix()}`
    const aggregateId = `agg_${uniqueSuffix()}`
    bus.subscribe(type, 'down', async () => {
      throw new Error('mail server down')
    })
    for (let seq = 0; seq < 2; seq++)
      await uow.run(async (_trx, emit) => emit(newEvent(type, aggregateId, { seq })))
    const heldFor = async () => {
      const { rows } = await sql<{ s: number }>`
        select extract(epoch from lease_until - now())::float as s from platform.outbox
        where aggregate_id = ${aggregateId} order by position`.execute(ctx.database.db)
      return rows.map((r) => Math.round(r.s))
    }
    for (const expected of [5, 10, 20]) {
      await relay.drain()
      assert.deepEqual(await heldFor(), [expected, expected], `both held ~${expected} s`)
      // As if the delay had passed: the next drain leases them again.
      await sql`update platform.outbox set lease_until = now() - interval '1 second'
        where aggregate_id = ${aggregateId}`.execute(ctx.database.db)
    }
    const rows = await outboxRows(aggregateId)
    assert.deepEqual(
      rows.map((r) => [r.attempts, r.published_at]),
      [
        [3, null],
        [3, null],
      ],
    )
    await relay.stop()
  })

  test(
    'the started relay publishes a commit without an explicit drain',
    { timeout: 30_000 },
    async () => {
      const { type, seen } = listen()
      const aggregateId = `agg_${uniqueSuffix()}`
      const relay = ctx.runtime.relay
      const notifying = createUnitOfWork(ctx.database.db, () => relay.notify())
      relay.start()
      try {
        await notifying.run(async (_trx, emit) => emit(newEvent(type, aggregateId)))
        await eventually(() => seen.length === 1, { what: 'the relay to publish' })
      } finally {
        await relay.stop()
      }
      const [row] = await outboxRows(aggregateId)
      assert.ok(row?.published_at instanceof Date)
    },
  )
})
