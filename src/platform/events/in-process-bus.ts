import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Peers } from '../cluster/peers.js'
import { processOnce } from './processed-events.js'
import type { DomainEvent, EventBus, EventHandler } from './types.js'

interface Subscription {
  consumer: string
  handle: (event: DomainEvent) => Promise<unknown>
}

const WATCHED = 'bus.watched'

/**
 * Delivers each event to every subscriber of its type in this process. `publish` rejects if any
 * handler failed, so the relay leaves the event unpublished and retries it: delivery is at least
 * once, and the retry skips the consumers that already processed the event (`processOnce`).
 *
 * In a cluster child (`peers`), what it publishes is also shown to the watchers of the cluster's
 * HTTP processes, whose own bus publishes nothing (the relay runs in the worker process).
 */
export function createInProcessBus(logger: Logger, db: Kysely<unknown>, peers?: Peers): EventBus {
  const subscriptions = new Map<string, Subscription[]>()
  const watchers = new Map<string, Set<(event: DomainEvent) => void>>()
  function show(event: DomainEvent) {
    for (const listener of watchers.get(event.type) ?? []) {
      try {
        listener(event)
      } catch (err) {
        logger.warn({ err, eventId: event.id, type: event.type }, 'event watcher failed')
      }
    }
  }
  peers?.on(WATCHED, (event) => show(event as DomainEvent))
  return {
    watch(type, listener) {
      const set = watchers.get(type) ?? new Set()
      set.add(listener)
      watchers.set(type, set)
      return () => void set.delete(listener)
    },
    subscribe(type: string, consumer: string, handler: EventHandler) {
      const list = subscriptions.get(type) ?? []
      list.push({ consumer, handle: processOnce(db, consumer, handler) })
      subscriptions.set(type, list)
    },
    async publish(event: DomainEvent) {
      show(event)
      peers?.broadcast(WATCHED, event, 'serve')
      const targets = subscriptions.get(event.type) ?? []
      const results = await Promise.allSettled(targets.map((s) => s.handle(event)))
      const failed = results.flatMap((r, i) =>
        r.status === 'rejected' ? [[targets[i]!, r.reason] as const] : [],
      )
      for (const [sub, reason] of failed) {
        logger.error(
          { err: reason, eventId: event.id, type: event.type, consumer: sub.consumer },
          'event handler failed',
        )
      }
      if (failed.length > 0) throw new Error(`${failed.length} handler(s) failed for ${event.id}`)
    },
    async start() {},
    async stop() {},
  }
}
