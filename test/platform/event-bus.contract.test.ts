import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { connect } from 'nats'
import { sql } from 'kysely'
import { createUnitOfWork, type UnitOfWork } from '../../src/platform/db/unit-of-work.js'
import { createInProcessBus } from '../../src/platform/events/in-process-bus.js'
import { createJetStreamBus } from '../../src/platform/events/jetstream-bus.js'
import { claimEvent } from '../../src/platform/events/processed-events.js'
import { createOutboxRelay, type OutboxRelay } from '../../src/platform/events/relay.js'
import type { DomainEvent, EventBus } from '../../src/platform/events/types.js'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { eventually, freePort } from './support.js'

interface Adapter {
  name: string
  create(ctx: TestContext): { bus: EventBus; cleanup: () => Promise<void> }
}

const natsUrl = process.env.NATS_URL

const adapters: Adapter[] = [
  {
    name: 'the in-process bus',
    create: (ctx) => ({
      bus: createInProcessBus(ctx.runtime.logger, ctx.database.db),
      cleanup: async () => {},
    }),
  },
]
if (natsUrl) {
  adapters.push({
    name: 'NATS JetStream',
    create(ctx) {
      // A stream and subjects of this run's own, so parallel test files never share messages.
      const suffix = uniqueSuffix()
      const stream = `EMPORIUM_TEST_${suffix}`
      const bus = createJetStreamBus({
        url: natsUrl,
        db: ctx.database.db,
        logger: ctx.runtime.logger,
        stream,
        subjectPrefix: `emporium.test.${suffix}`,
        ackWaitMs: 5_000,
        retryDelayMs: 200,
        duplicateWindowMs: 500,
      })
      return {
        bus,
        async cleanup() {
          await bus.stop()
          const nc = await connect({ servers: natsUrl })
          const jsm = await nc.jetstreamManager()
          await jsm.streams.delete(stream).catch(() => false)
          await nc.close()
        },
      }
    },
  })
}

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
})
after(async () => {
  await ctx.close()
})

for (const adapter of adapters) {
  describe(`event bus contract: ${adapter.name} on ${engine}`, () => {
    let bus: EventBus
    let cleanup: () => Promise<void>
    let relay: OutboxRelay
    let uow: UnitOfWork

    before(() => {
      ;({ bus, cleanup } = adapter.create(ctx))
      relay = createOutboxRelay(ctx.database.db, bus, ctx.runtime.logger, { leaseSeconds: 1 })
      uow = createUnitOfWork(ctx.database.db, () => {})
    })
    after(async () => {
      await relay.stop()
      await cleanup()
    })

    const commit = (type: string, aggregateId: string, payload: Record<string, unknown> = {}) =>
      uow.run(async (_trx, emit) => emit({ type, aggregateType: 'test', aggregateId, payload }))

    /** Runs the relay, as a worker would, until `done` holds. */
    const deliver = (done: () => boolean, what: string) =>
      eventually(
        async () => {
          await relay.drain()
          return done()
        },
        { timeoutMs: 15_000, intervalMs: 100, what },
      )

    async function processedBy(consumer: string, eventId: string): Promise<number> {
      const result = await sql<{ n: number }>`
        select count(*)::int as n from platform.processed_event
        where consumer = ${consumer} and event_id = ${eventId}`.execute(ctx.database.db)
      return result.rows[0]?.n ?? 0
    }

    function recorder(type: string, consumer: string): DomainEvent[] {
      const seen: DomainEvent[] = []
      bus.subscribe(type, consumer, async (event) => void seen.push(event))
      return seen
    }

    test('a published event reaches every subscriber of its type once, and no other', async () => {
      const type = `test.placed.${uniqueSuffix()}`
      const first = recorder(type, `first.${uniqueSuffix()}`)
      const second = recorder(type, `second.${uniqueSuffix()}`)
      const other = recorder(`test.other.${uniqueSuffix()}`, `other.${uniqueSuffix()}`)
      await bus.start()

      await commit(type, `agg_${uniqueSuffix()}`, { answer: 42 })
      await deliver(() => first.length === 1 && second.length === 1, 'both subscribers')
      // A sentinel behind it proves nothing else was on its way to the same consumers.
      const sentinel = `agg_${uniqueSuffix()}`
      await commit(type, sentinel)
      await deliver(() => first.length === 2 && second.length === 2, 'the sentinel')

      assert.deepEqual(first[0]?.payload, { answer: 42 })
      assert.equal(first[0]?.id, second[0]?.id)
      assert.equal(first[1]?.aggregateId, sentinel)
      assert.deepEqual(other, [])
    })

    test('a failing handler gets the event again, and succeeds once', async () => {
      const type = `test.flaky.${uniqueSuffix()}`
      const consumer = `flaky.${uniqueSuffix()}`
      const attempts: string[] = []
      const effects: string[] = []
      bus.subscribe(type, consumer, async (event) => {
        attempts.push(event.id)
        if (attempts.length === 1) throw new Error('consumer is down')
        effects.push(event.id)
      })
      await bus.start()

      await commit(type, `agg_${uniqueSuffix()}`)
      await deliver(() => effects.length === 1, 'the redelivery')

      assert.equal(attempts.length, 2)
      assert.equal(attempts[0], attempts[1], 'the same event id both times')
      // The record is written just after the handler resolves (on JetStream, before the ack).
      await eventually(async () => (await processedBy(consumer, effects[0]!)) === 1, {
        what: 'the processed-event record',
      })
      assert.ok(ctx.logs.some((l) => l.msg === 'event handler failed' && l.eventId === attempts[0]))
    })

    test('an event delivered again after it was processed has no second effect', async () => {
      const type = `test.twice.${uniqueSuffix()}`
      const consumer = `twice.${uniqueSuffix()}`
      const seen = recorder(type, consumer)
      await bus.start()
      const aggregateId = `agg_${uniqueSuffix()}`

      await commit(type, aggregateId, { n: 1 })
      await deliver(() => seen.length === 1, 'the first delivery')
      // The relay died after the bus took the event but before marking it published, and came
      // back after JetStream's duplicate window: the same event id is published again.
      await new Promise((resolve) => setTimeout(resolve, 600))
      await bus.publish(seen[0]!)
      await commit(type, aggregateId, { n: 2 })
      await deliver(() => seen.length >= 2, 'the event behind the duplicate')

      assert.deepEqual(
        seen.map((e) => e.payload.n),
        [1, 2],
      )
      assert.equal(await processedBy(consumer, seen[0]!.id), 1)
    })

    test('the events of one aggregate arrive in publish order', async () => {
      const type = `test.sequenced.${uniqueSuffix()}`
      const seen = recorder(type, `sequence.${uniqueSuffix()}`)
      await bus.start()
      const aggregateId = `agg_${uniqueSuffix()}`
      const otherId = `agg_${uniqueSuffix()}`

      for (let seq = 0; seq < 5; seq++) {
        await commit(type, aggregateId, { seq })
        await commit(type, otherId, { seq })
      }
      await deliver(() => seen.length === 10, 'all ten events')

      const sequence = (id: string) =>
        seen.filter((e) => e.aggregateId === id).map((e) => e.payload.seq)
      assert.deepEqual(sequence(aggregateId), [0, 1, 2, 3, 4])
      assert.deepEqual(sequence(otherId), [0, 1, 2, 3, 4])
    })
  })
}

describe(`processed-event records on ${engine}`, () => {
  test('a handler that claims the event in its own transaction applies its effect once', async () => {
    await sql`create table if not exists test_effect (event_id text, n int)`.execute(
      ctx.database.db,
    )
    const consumer = `ledger.${uniqueSuffix()}`
    const eventId = `evt_${uniqueSuffix()}`
    const apply = () =>
      ctx.database.db.transaction().execute(async (trx) => {
        if (!(await claimEvent(trx, consumer, eventId))) return false
        await sql`insert into test_effect (event_id, n) values (${eventId}, 1)`.execute(trx)
        return true
      })

    assert.equal(await apply(), true)
    assert.equal(await apply(), false)
    const rows = await sql<{ n: number }>`
      select count(*)::int as n from test_effect where event_id = ${eventId}`.execute(
      ctx.database.db,
    )
    assert.equal(rows.rows[0]?.n, 1)
  })
})

describe(`readiness with NATS_URL on ${engine}`, () => {
  const readyz = async (url: string) => {
    const other = await createTestContext({ NATS_URL: url })
    try {
      const res = await other.app.inject({ method: 'GET', url: '/readyz' })
      return { status: res.statusCode, checks: (res.json() as { checks: unknown }).checks }
    } finally {
      await other.close()
    }
  }

  test('/readyz answers 503 naming nats when NATS does not answer', async () => {
    const { status, checks } = await readyz(`nats://127.0.0.1:${await freePort()}`)
    assert.equal(status, 503)
    assert.deepEqual(checks, { database: 'ok', nats: 'unreachable' })
  })

  if (natsUrl) {
    test('/readyz checks NATS and answers 200 when it answers', async () => {
      const { status, checks } = await readyz(natsUrl)
      assert.equal(status, 200)
      assert.deepEqual(checks, { database: 'ok', nats: 'ok' })
    })
  }
})
