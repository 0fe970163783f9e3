import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import { deferEvents, leasePending, markPublished, retryDelaySeconds } from './outbox.js'
import type { EventBus } from './types.js'

export interface RelayOptions {
  batchSize?: number
  /** How long to wait between polls when the outbox is empty. */
  idleMs?: number
  leaseSeconds?: number
  /** The first retry's delay after a consumer failed (default 5 s); it doubles per attempt. */
  retryBaseSeconds?: number
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
  let running = false
  let timer: NodeJS.Timeout | undefined
  let inFlight: Promise<number> | undefined

  async function publishBatch(): Promise<number> {
    const leased = await leasePending(db, batchSize, leaseSeconds)
    const published: string[] = []
    // Per failed aggregate: its first failure's attempts, and every event of it held back.
    const failed = new Map<string, { attempts: number; ids: string[] }>()
    for (const { event, attempts } of leased) {
      // Keep per-aggregate order: after a failure, later events of that aggregate wait too.
      const held = failed.get(event.aggregateId)
      if (held) {
        held.ids.push(event.id)
        continue
      }
      try {
        await bus.publish(event)
        published.push(event.id)
      } catch {
        failed.set(event.aggregateId, { attempts, ids: [event.id] })
      }
    }
    await markPublished(db, published)
    // Exponential backoff: a consumer that keeps failing (a mail server down) is retried
    // 5 s, 10 s, 20 s … up to hourly, instead of every lease period.
    for (const { attempts, ids } of failed.values())
      await deferEvents(db, ids, retryDelaySeconds(attempts, retryBaseSeconds))
    return leased.length === 0 ? 0 : published.length || -1
  }

  function runOnce(): Promise<number> {
    inFlight ??= publishBatch().finally(() => (inFlight = undefined))
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
