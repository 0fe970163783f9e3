import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { credentialStillValid } from '../../platform/http/access.js'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import type { OrderFollower } from './orders.follow.js'
import { orderCallerOf } from './orders.routes.js'
import { OrderParams, OrderTokenHeaders } from './orders.schema.js'
import type { OrdersService } from './orders.service.js'

/**
 * `GET /v1/orders/:id/events`: the order's status changes as Server-Sent Events. Each event's id
 * is its position in the history, so a client that reconnects with `Last-Event-ID` gets exactly
 * what it missed. The follower (`orders.follow.ts`) does the waiting, the caps and the lifetime;
 * an idle stream sends a comment line so proxies keep it open. A caller holding `orders:read`
 * (staff) may follow any order; anyone else only an order they could read at `GET /v1/orders/:id`.
 */
export function orderStreamRoutes(orders: OrdersService, follower: OrderFollower): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.addHook('onClose', async () => follower.close())

    app.get(
      '/v1/orders/:id/events',
      {
        config: { access: 'public', idempotency: false },
        schema: {
          tags: ['orders'],
          summary: "The order's status changes as Server-Sent Events (resume with Last-Event-ID)",
          description:
            'At most 5 streams per order and caller at once (the next is 429). A stream ends ' +
            'after at most 15 minutes and when the caller signs out; reconnect with Last-Event-ID. ' +
            'Staff (orders:read) may follow any order.',
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
        const caller = orderCallerOf(request)
        // Staff follow any order (the dashboard's live order page); everyone else only their own.
        if (request.principal?.permissions.has('orders:read')) await orders.adminGet(orderId)
        else await orders.assertVisible(caller, orderId)
        const lastId = Number(request.headers['last-event-id'])
        const changes = follower.follow({
          orderId,
          caller,
          after: Number.isSafeInteger(lastId) && lastId > 0 ? lastId : 0,
          stillValid: () => credentialStillValid(request),
        })
        request.raw.on('close', () => void changes.return?.())
        reply.hijack()
        const res = reply.raw
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-request-id': request.id,
        })
        res.write('retry: 2000\n\n')
        try {
          for await (const change of changes) {
            if (change === 'idle') res.write(': keep-alive\n\n')
            else {
              res.write(
                `id: ${change.seq}\nevent: ${change.type}\ndata: ${JSON.stringify(change)}\n\n`,
              )
            }
          }
        } catch (err) {
          request.log.warn({ err, orderId }, 'order stream ended by an error')
        } finally {
          res.end()
        }
      },
    )
  }
}
