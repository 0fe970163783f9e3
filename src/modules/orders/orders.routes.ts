import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { principalOf, tokenCallerOf } from '../../platform/http/access.js'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import {
  OrderListQuery,
  OrderPage,
  OrderParams,
  OrderRef,
  OrderTokenHeaders,
} from './orders.schema.js'
import type { OrderCaller, OrdersService } from './orders.service.js'

const TAGS = ['orders']
const SECURITY: Record<string, string[]>[] = [{ bearer: [] }, {}]

/** The caller of an order route: the signed-in customer and the guest's `X-Order-Token`. */
export function orderCallerOf(request: FastifyRequest): OrderCaller {
  return tokenCallerOf(request, 'x-order-token')
}

/** The customer's own orders; a guest reaches one order with its `X-Order-Token`. */
export function orderRoutes(orders: OrdersService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.get(
      '/v1/orders',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: TAGS,
          summary: "The signed-in customer's orders, newest first",
          security: [{ bearer: [] }],
          querystring: OrderListQuery,
          response: { 200: OrderPage, ...problems(401) },
        },
      },
      async (request) => orders.listForCustomer(principalOf(request).subject, request.query),
    )

    app.get(
      '/v1/orders/:id',
      {
        config: { access: 'public' },
        schema: {
          tags: TAGS,
          summary: "One order: the customer's own, or a guest's with its X-Order-Token",
          security: SECURITY,
          params: OrderParams,
          headers: OrderTokenHeaders,
          response: { 200: OrderRef, ...problems(401, 404) },
        },
      },
      async (request) => orders.getForCaller(orderCallerOf(request), request.params.id),
    )
  }
}
