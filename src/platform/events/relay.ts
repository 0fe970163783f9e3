import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import {
  deferEvents,
  leasePending,
  markPublished,
  retryDelaySeconds,
  type LeasedEvent,
} from './outbox.js'
import { currentTraceparent, detached, SpanKind, withSpan } from '../telemetry/tracing.js'
import type { EventBus } from './types.js'

export interface RelayOptions {
  batchSize?: number
  /** How long to wait between polls when the outbox is empty. */
  idleMs?: number
  leaseSeconds?: number
  /** The first retry's delay after a consumer failed (default 5 s); it doubles per attempt. */
  retryBaseSeconds?: number
  /** Aggregates published at once (default 8); one aggregate's events always go in order. */
  concurrency?: number
}

export interface OutboxRelay {
  start(): void
  /** Wake the relay now (after a commit in this process) instead of at the next poll. */
  notify(): void
  /** Publish everything pending now; resolves when the outbox has nothing left to lease. */
  drain(): Promise<number>
  /** Stops polling and waits for the batch in flight. */
  stop(): Promise<void>
}

/**
 * Moves committed events from the outbox to the bus, in outbox order. Publishing happens outside
 * any transaction (on PGlite a held transaction would lock out the handlers' own queries); an
 * event is marked published only after every handler succeeded.
 */
export function createOutboxRelay(
  db: Kysely<unknown>,
  bus: EventBus,
  logger: Logger,
  options: RelayOptions = {},
): OutboxRelay {
  const batchSize = options.batchSize ?? 100
  const idleMs = options.idleMs ?? 500
  const leaseSeconds = options.leaseSeconds ?? 30
  const retryBaseSeconds = options.retryBaseSeconds ?? 5
  const concurrency = options.concurrency ?? 8
  let running = false
  let timer: NodeJS.Timeout | undefined
  let inFlight: Promise<number> | undefined

  /** Publishes one aggregate's events in order; stops at its first failure. */
  async function publishAggregate(events: LeasedEvent[], published: string[]) {
    for (const [i, { event, attempts }] of events.entries()) {
      try {
        // A child of the span that wrote the event; consumers continue from this one.
        await withSpan(
          `outbox publish ${event.type}`,
          { 'messaging.operation.type': 'send', 'emporium.event.id': event.id },
          () => {
            const traceparent = currentTraceparent() ?? event.traceparent
            return bus.publish(traceparent ? { ...event, traceparent } : event)
          },
          { kind: SpanKind.PRODUCER, ...(event.traceparent ? { parent: event.traceparent } : {}) },
        )
        published.push(event.id)
      } catch {
        // Exponential backoff: a consumer that keeps failing (a mail server down) is retried
        // 5 s, 10 s, 20 s … up to hourly; the aggregate's later events wait with it, in order.
        const held = events.slice(i).map((e) => e.event.id)
        await deferEvents(db, held, retryDelaySeconds(attempts, retryBaseSeconds))
        return
      }
    }
  }

  /**
   * Publishes one leased batch; returns how many events it published, 0 when nothing was pending,
   * or -1 when events were leased but none was published (each failed and waits for its retry).
   * The -1 is not "idle" to a caller that counts, yet not progress either: `drain` stops on it
   * rather than spin on events held back, and the scheduler waits `idleMs` before polling again.
   */
  async function publishBatch(): Promise<number> {
    const leased = await leasePending(db, batchSize, leaseSeconds)
    const byAggregate = new Map<string, LeasedEvent[]>()
    for (const e of leased) {
      const list = byAggregate.get(e.event.aggregateId)
      if (list) list.push(e)
      else byAggregate.set(e.event.aggregateId, [e])
    }
    // Aggregates are independent: several at once, each in order (the handlers' round trips to
    // the database overlap instead of queueing behind one another).
    const published: string[] = []
    const queue = [...byAggregate.values()]
    const lanes = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift())
        await publishAggregate(next, published)
    })
    await Promise.all(lanes)
    await markPublished(db, published)
    return leased.length === 0 ? 0 : published.length || -1
  }

  function runOnce(): Promise<number> {
    // Woken by a commit, the relay would otherwise run inside that request's trace.
    inFlight ??= detached(publishBatch).finally(() => (inFlight = undefined))
    return inFlight
  }

  function schedule(delay: number): void {
    if (!running) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      runOnce()
        .then((n) => schedule(n > 0 ? 0 : idleMs))
        .catch((err: unknown) => {
          logger.error({ err }, 'outbox relay failed; retrying')
          schedule(idleMs * 4)
        })
    }, delay)
  }

  return {
    start() {
      running = true
      schedule(0)
    },
    notify() {
      if (running && !inFlight) schedule(0)
    },
    async drain() {
      let total = 0
      for (;;) {
        const n = await runOnce()
        if (n <= 0) return total
        total += n
      }
    },
    async stop() {
      running = false
      clearTimeout(timer)
      await inFlight?.catch(() => undefined)
    },
  }
}
