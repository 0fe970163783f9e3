import type { EventWatch } from '../../platform/events/types.js'
import { OrderEvents } from './orders.events.js'

/**
 * The process's one watch on the order events, fanned out to the streams open for each order: a
 * stream sleeps until its order changes (or its timer runs out) instead of polling the database.
 * The watch starts with the first stream and stops with the app.
 */
export function createStreamHub(events: EventWatch) {
  const waiters = new Map<string, Set<() => void>>()
  let unwatch: (() => void)[] | undefined

  function start() {
    unwatch ??= Object.values(OrderEvents).map((type) =>
      events.watch(type, (event) => {
        for (const wake of waiters.get(event.aggregateId) ?? []) wake()
      }),
    )
  }

  return {
    /** Registers `wake` for the order's events; the result unregisters it. */
    listen(orderId: string, wake: () => void): () => void {
      start()
      const set = waiters.get(orderId) ?? new Set()
      set.add(wake)
      waiters.set(orderId, set)
      return () => {
        set.delete(wake)
        if (set.size === 0) waiters.delete(orderId)
      }
    },
    stop() {
      for (const stop of unwatch ?? []) stop()
      unwatch = undefined
    },
  }
}

export type StreamHub = ReturnType<typeof createStreamHub>

/** Streams open per order and caller in this process, so a caller cannot hold unbounded many. */
export function createStreamCounter(max: number) {
  const open = new Map<string, number>()
  return {
    /** Takes a slot; false when the caller already holds `max` streams of this order. */
    take(key: string): boolean {
      const n = open.get(key) ?? 0
      if (n >= max) return false
      open.set(key, n + 1)
      return true
    },
    release(key: string): void {
      const n = (open.get(key) ?? 1) - 1
      if (n <= 0) open.delete(key)
      else open.set(key, n)
    },
  }
}
