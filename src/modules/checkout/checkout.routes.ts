import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import { CheckoutBody, CheckoutParams, CheckoutReply } from './checkout.schema.js'
import type { CheckoutService } from './checkout.service.js'

export function checkoutRoutes(checkout: CheckoutService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.post(
      '/v1/carts/:id/checkout',
      {
        config: { access: 'public' },
        schema: {
          tags: ['checkout'],
          summary: 'Place the order: reserve stock, charge the payment, answer with the order',
          description:
            'Send an Idempotency-Key: a retry gets the first reply and never charges twice. ' +
            'A guest cart needs its X-Cart-Token; the reply then carries the orderToken. ' +
            'If the provider does not answer in time the order is returned `pending_payment` ' +
            'and settled by the reconciliation job.',
          security: [{ bearer: [] }, {}],
          params: CheckoutParams,
          headers: {
            type: 'object',
            properties: { 'x-cart-token': { type: 'string', maxLength: 128 } },
          },
          body: CheckoutBody,
          response: { 201: CheckoutReply, ...problems(401, 402, 404, 409) },
        },
      },
      async (request, reply) => {
        const token = request.headers['x-cart-token']
        const caller = {
          customerId: request.principal?.subject ?? null,
          token: typeof token === 'string' ? token : undefined,
        }
        return reply
          .code(201)
          .send(await checkout.checkout(caller, request.params.id, request.body))
      },
    )
  }
}
