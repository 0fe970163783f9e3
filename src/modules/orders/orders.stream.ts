import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { sha256 } from '../../platform/crypto.js'
import { credentialStillValid } from '../../platform/http/access.js'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import { OrderErrors } from './orders.errors.js'
import { orderCallerOf } from './orders.routes.js'
import { OrderParams, OrderTokenHeaders } from './orders.schema.js'
import type { OrdersService } from './orders.service.js'
import { createStreamCounter, type StreamHub } from './orders.stream-hub.js'

export interface StreamSettings {
  /** How often an idle stream sends a comment line, so proxies keep it open. */
  heartbeatMs: number
  /**
   * How often an open stream checks its caller's credential again and reads the history even
   * without a wake (the safety net when no bus reaches this process: API-only processes without
   * NATS).
   */
  recheckMs: number
  /** A stream ends after this long; the client reconnects with `Last-Event-ID`. */
  maxLifetimeMs: number
  /** Streams one caller may hold open on one order in this process (the next is 429). */
  maxPerCaller: number
}

function callerKey(request: FastifyRequest, orderId: string): string {
  const { customerId, token } = orderCallerOf(request)
  return `${orderId}\n${customerId ? `sub:${customerId}` : `token:${sha256(token ?? '')}`}`
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

/**
 * `GET /v1/orders/:id/events`: the order's status changes as Server-Sent Events. Each event's id
 * is its position in the history, so a client that reconnects with `Last-Event-ID` gets exactly
 * what it missed. A stream sleeps until the event bus says its order changed (one watch per
 * process, `StreamHub`), then reads the history, which every instance shares. It ends after
 * `maxLifetimeMs`, and when its caller's credential no longer holds (logout, revoked session or
 * API key), checked on each wake and every `recheckMs`.
 */
export function orderStreamRoutes(
  orders: OrdersService,
  hub: StreamHub,
  settings: StreamSettings,
): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const open = new Set<AbortController>()
    const counter = createStreamCounter(settings.maxPerCaller)
    app.addHook('onClose', async () => {
      for (const c of open) c.abort()
      hub.stop()
    })

    app.get(
      '/v1/orders/:id/events',
      {
        config: { access: 'public', idempotency: false },
        schema: {
          tags: ['orders'],
          summary: "The order's status changes as Server-Sent Events (resume with Last-Event-ID)",
          description:
            'At most 5 streams per order and caller at once (the next is 429). A stream ends ' +
            'after at most 15 minutes and when the caller signs out; reconnect with Last-Event-ID.',
          security: [{ bearer: [] }, {}],
          params: OrderParams,
          headers: OrderTokenHeaders,
          response: {
            200: {
              description: 'text/event-stream: `id` (history position), `event` (type), `data`',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            ...problems(401, 404, 429),
          },
        },
      },
      async (request, reply) => {
        const orderId = request.params.id
        await orders.assertVisible(orderCallerOf(request), orderId)
        const key = callerKey(request, orderId)
        if (!counter.take(key)) throw OrderErrors.tooManyStreams(settings.maxPerCaller)
        const lastId = Number(request.headers['last-event-id'])
        let seq = Number.isSafeInteger(lastId) && lastId > 0 ? lastId : 0
        const controller = new AbortController()
        const ends = setTimeout(() => controller.abort(), settings.maxLifetimeMs)
        const wakeUp: { wake?: () => void } = {}
        let woken = false
        const unlisten = hub.listen(orderId, () => {
          woken = true
          wakeUp.wake?.()
        })
        open.add(controller)
        request.raw.on('close', () => controller.abort())
        reply.hijack()
        const res = reply.raw
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-request-id': request.id,
        })
        res.write('retry: 2000\n\n')
        let lastWrite = Date.now()
        let lastCheck = Date.now()
        try {
          while (!controller.signal.aborted) {
            woken = false
            for (const change of await orders.changesAfter(orderId, seq)) {
              res.write(
                `id: ${change.seq}\nevent: ${change.type}\ndata: ${JSON.stringify(change)}\n\n`,
              )
              seq = change.seq
              lastWrite = Date.now()
            }
            if (Date.now() - lastWrite >= settings.heartbeatMs) {
              res.write(': keep-alive\n\n')
              lastWrite = Date.now()
            }
            const wait = Math.min(
              settings.heartbeatMs - (Date.now() - lastWrite),
              settings.recheckMs - (Date.now() - lastCheck),
            )
            if (!woken) await nap(Math.max(wait, 0), controller.signal, wakeUp)
            if (controller.signal.aborted) break
            if (woken || Date.now() - lastCheck >= settings.recheckMs) {
              lastCheck = Date.now()
              if (!(await credentialStillValid(request))) break
            }
          }
        } catch (err) {
          request.log.warn({ err, orderId }, 'order stream ended by an error')
        } finally {
          clearTimeout(ends)
          unlisten()
          counter.release(key)
          open.delete(controller)
          res.end()
        }
      },
    )
  }
}
