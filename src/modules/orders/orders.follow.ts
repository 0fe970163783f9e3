import { sha256 } from '../../platform/crypto.js'
import { OrderErrors } from './orders.errors.js'
import type { OrderCaller, OrdersService } from './orders.service.js'
import { createStreamCounter, type StreamHub } from './orders.stream-hub.js'

export interface StreamSettings {
  /** How often an idle stream says so (SSE sends a comment line, so proxies keep it open). */
  heartbeatMs: number
  /**
   * How often an open stream checks its caller's credential again and reads the history even
   * without a wake (the safety net when no bus reaches this process: API-only processes without
   * NATS).
   */
  recheckMs: number
  /** A stream ends after this long; the client reconnects and resumes from its last position. */
  maxLifetimeMs: number
  /** Streams one caller may hold open on one order in this process (the next is refused). */
  maxPerCaller: number
}

/** One status change of an order, at its position (`seq`) in the order's history. */
export type OrderChange = Awaited<ReturnType<OrdersService['changesAfter']>>[number]

/** A change as the GraphQL `OrderEvent` resolvers get it: with the order it belongs to. */
export type OrderEventSource = OrderChange & { orderId: string }

export interface FollowRequest {
  orderId: string
  caller: OrderCaller
  /** History position to resume after (0: from the start). */
  after: number
  /** Whether the caller's credential still holds (a revoked session ends the stream). */
  stillValid: () => Promise<boolean>
}

/** Resolves after `ms`, or earlier when woken or aborted. */
function nap(ms: number, signal: AbortSignal, wakeUp: { wake?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      wakeUp.wake = undefined
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done)
    wakeUp.wake = done
  })
}

function callerKey(orderId: string, caller: OrderCaller): string {
  const who = caller.customerId ? `sub:${caller.customerId}` : `token:${sha256(caller.token ?? '')}`
  return `${orderId}\n${who}`
}

/**
 * Following an order's changes, for the SSE stream and the GraphQL subscription alike. A follower
 * sleeps until the event bus says its order changed (one watch per process, `StreamHub`), then
 * reads the history, which every instance shares: so a change made on any instance reaches it. It
 * yields each change, and `'idle'` after `heartbeatMs` of quiet. It ends after `maxLifetimeMs`,
 * when its caller's credential no longer holds (checked on each wake and every `recheckMs`), when
 * `return()` is called, or when the process closes. Each caller holds at most `maxPerCaller` per
 * order in this process.
 */
export function createOrderFollower(
  orders: OrdersService,
  hub: StreamHub,
  settings: StreamSettings,
) {
  const counter = createStreamCounter(settings.maxPerCaller)
  const open = new Set<AbortController>()

  /**
   * Takes a slot now (`too_many_streams` when the caller has none left); the caller must already
   * have checked that it may see the order. The slot is freed when the iteration ends or is
   * returned, started or not.
   */
  function follow(request: FollowRequest): AsyncIterableIterator<OrderChange | 'idle'> {
    const key = callerKey(request.orderId, request.caller)
    if (!counter.take(key)) throw OrderErrors.tooManyStreams(settings.maxPerCaller)
    const controller = new AbortController()
    open.add(controller)
    const ends = setTimeout(() => controller.abort(), settings.maxLifetimeMs)
    const wakeUp: { wake?: () => void } = {}
    let woken = false
    const unlisten = hub.listen(request.orderId, () => {
      woken = true
      wakeUp.wake?.()
    })
    let released = false
    const release = () => {
      if (released) return
      released = true
      clearTimeout(ends)
      unlisten()
      counter.release(key)
      open.delete(controller)
    }

    async function* changes(): AsyncGenerator<OrderChange | 'idle'> {
      let seq = request.after
      let lastNews = Date.now()
      let lastCheck = Date.now()
      try {
        while (!controller.signal.aborted) {
          woken = false
          for (const change of await orders.changesAfter(request.orderId, seq)) {
            yield change
            seq = change.seq
            lastNews = Date.now()
          }
          if (Date.now() - lastNews >= settings.heartbeatMs) {
            yield 'idle'
            lastNews = Date.now()
          }
          const wait = Math.min(
            settings.heartbeatMs - (Date.now() - lastNews),
            settings.recheckMs - (Date.now() - lastCheck),
          )
          if (!woken) await nap(Math.max(wait, 0), controller.signal, wakeUp)
          if (controller.signal.aborted) break
          if (woken || Date.now() - lastCheck >= settings.recheckMs) {
            lastCheck = Date.now()
            if (!(await request.stillValid())) break
          }
        }
      } finally {
        release()
      }
    }

    const iterator = changes()
    return {
      [Symbol.asyncIterator]() {
        return this
      },
      next: () => iterator.next(),
      return: async (value?: unknown) => {
        controller.abort()
        release()
        return iterator.return(value as never)
      },
      throw: (error?: unknown) => iterator.throw(error),
    }
  }

  return {
    follow,
    /** The change count so far: where a follower that wants only what comes next starts. */
    async position(orderId: string): Promise<number> {
      return (await orders.changesAfter(orderId, 0)).at(-1)?.seq ?? 0
    },
    close() {
      for (const c of open) c.abort()
      hub.stop()
    },
  }
}

export type OrderFollower = ReturnType<typeof createOrderFollower>
