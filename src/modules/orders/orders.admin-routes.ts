import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { principalOf } from '../../platform/http/access.js'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import {
  AdminOrderListQuery,
  FulfillBody,
  NoteBody,
  OrderPage,
  OrderParams,
  OrderRef,
} from './orders.schema.js'
import type { OrdersService } from './orders.service.js'

const BASE = '/v1/admin/orders'
const common = { tags: ['admin', 'orders'], security: [{ bearer: [] }] }
const read = { access: { permission: 'orders:read' } }
const manage = { access: { permission: 'orders:manage' } }

export function adminOrderRoutes(orders: OrdersService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.get(
      BASE,
      {
        config: read,
        schema: {
          ...common,
          summary: 'Orders, newest first; filter by status, email, date, or search number/email',
          querystring: AdminOrderListQuery,
          response: { 200: OrderPage, ...problems(401, 403) },
        },
      },
      async (request) => orders.adminList(request.query),
    )

    app.get(
      `${BASE}/:id`,
      {
        config: read,
        schema: {
          ...common,
          summary: 'One order with its full history and notes',
          params: OrderParams,
          response: { 200: OrderRef, ...problems(401, 403, 404) },
        },
      },
      async (request) => orders.adminGet(request.params.id),
    )

    app.post(
      `${BASE}/:id/fulfillments`,
      {
        config: manage,
        schema: {
          ...common,
          summary: 'Fulfil a paid order (with its tracking number)',
          params: OrderParams,
          body: FulfillBody,
          response: { 201: OrderRef, ...problems(401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await orders.fulfil(request.params.id, request.body, principalOf(request).subject)),
    )

    app.post(
      `${BASE}/:id/delivered`,
      {
        config: manage,
        schema: {
          ...common,
          summary: 'Mark a fulfilled order delivered',
          params: OrderParams,
          response: { 200: OrderRef, ...problems(401, 403, 404, 409) },
        },
      },
      async (request) => orders.deliver(request.params.id, principalOf(request).subject),
    )

    app.post(
      `${BASE}/:id/notes`,
      {
        config: manage,
        schema: {
          ...common,
          summary: 'Add a staff note to the order (not shown to the customer)',
          params: OrderParams,
          body: NoteBody,
          response: { 201: OrderRef, ...problems(401, 403, 404) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await orders.addNote(
              request.params.id,
              request.body.text,
              principalOf(request).subject,
            ),
          ),
    )
  }
}
