import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { setTimeout as sleep } from 'node:timers/promises'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import { orderCallerOf } from './orders.routes.js'
import { OrderParams, OrderTokenHeaders } from './orders.schema.js'
import type { OrdersService } from './orders.service.js'

export interface StreamSettings {
  /** How often an open stream looks for new history entries. */
  pollMs: number
  /** How often an idle stream sends a comment line, so proxies keep it open. */
  heartbeatMs: number
}

/**
 * `GET /v1/orders/:id/events`: the order's status changes as Server-Sent Events. Each event's id
 * is its position in the history, so a client that reconnects with `Last-Event-ID` gets exactly
 * what it missed. The stream reads the history table, which every instance shares: a change made
 * through any instance reaches the streams open on all of them, with no pub/sub to configure.
 */
export function orderStreamRoutes(orders: OrdersService, settings: StreamSettings): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const open = new Set<AbortController>()
    app.addHook('onClose', async () => {
      for (const c of open) c.abort()
    })

    app.get(
      '/v1/orders/:id/events',
      {
        config: { access: 'public', idempotency: false },
        schema: {
          tags: ['orders'],
          summary: "The order's status changes as Server-Sent Events (resume with Last-Event-ID)",
          security: [{ bearer: [] }, {}],
          params: OrderParams,
          headers: OrderTokenHeaders,
          response: {
            200: {
              description: 'text/event-stream: `id` (history position), `event` (type), `data`',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            ...problems(401, 404),
          },
        },
      },
      async (request, reply) => {
        const orderId = request.params.id
        await orders.assertVisible(orderCallerOf(request), orderId)
        const lastId = Number(request.headers['last-event-id'])
        let seq = Number.isSafeInteger(lastId) && lastId > 0 ? lastId : 0
        const controller = new AbortController()
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
        let idle = 0
        try {
          while (!controller.signal.aborted) {
            for (const change of await orders.changesAfter(orderId, seq)) {
              res.write(
                `id: ${change.seq}\nevent: ${change.type}\ndata: ${JSON.stringify(change)}\n\n`,
              )
              seq = change.seq
              idle = 0
            }
            idle += settings.pollMs
            if (idle >= settings.heartbeatMs) {
              res.write(': keep-alive\n\n')
              idle = 0
            }
            await sleep(settings.pollMs, undefined, { signal: controller.signal }).catch(() => {})
          }
        } catch (err) {
          request.log.warn({ err, orderId }, 'order stream ended by an error')
        } finally {
          open.delete(controller)
          res.end()
        }
      },
    )
  }
}
