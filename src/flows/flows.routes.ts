import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { principalOf } from '../platform/http/access.js'
import { problems } from '../platform/http/schemas.js'
import type { RoutePlugin } from '../platform/module.js'
import {
  orderCallerOf,
  OrderParams,
  OrderRef,
  OrderTokenHeaders,
  RefundBody,
} from '../modules/orders/index.js'
import { cartCallerOf, CartTokenHeaders } from '../modules/carts/index.js'
import type { PaymentProvider } from '../modules/payments/index.js'
import type { CancelOrder } from './cancel-order.js'
import {
  CheckoutActionReply,
  CheckoutBody,
  CheckoutParams,
  CheckoutReply,
  WebhookReply,
} from './flows.schema.js'
import type { PlaceOrder } from './place-order.js'
import type { RefundOrder } from './refund-order.js'
import type { SettlementService } from './settle-payment.js'

export function checkoutRoutes(checkout: PlaceOrder): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.post(
      '/v1/carts/:id/checkout',
      {
        // A guest's orderToken is stored sealed with the cart token, for that guest's retries only.
        config: { access: 'public', idempotency: { secrets: ['orderToken'] } },
        schema: {
          tags: ['checkout'],
          summary: 'Place the order: reserve stock, charge the payment, answer with the order',
          description:
            'Send an Idempotency-Key: a retry gets the first reply and never charges twice. ' +
            'A guest cart needs its X-Cart-Token; the reply then carries the orderToken. ' +
            'If the provider does not answer in time the order is returned `pending_payment` ' +
            'and settled by the reconciliation job. A card that needs 3-D Secure answers 202 ' +
            'with `nextAction`: pass its client secret to Stripe.js `handleNextAction`; the ' +
            "provider's webhook then settles the order (poll it or follow its events).",
          security: [{ bearer: [] }, {}],
          params: CheckoutParams,
          headers: CartTokenHeaders,
          body: CheckoutBody,
          response: {
            201: CheckoutReply,
            202: CheckoutActionReply,
            ...problems(401, 402, 404, 409),
          },
        },
      },
      async (request, reply) => {
        const placed = await checkout.checkout(
          cartCallerOf(request),
          request.params.id,
          request.body,
        )
        return reply.code(placed.nextAction ? 202 : 201).send(placed)
      },
    )
  }
}

/**
 * `POST /v1/payments/webhooks/<provider>` for each enabled provider: the provider tells us a
 * payment moved. The body is read raw (its signature covers the exact bytes), verified by the
 * provider, and the order is then settled from the provider's own record, as the reconciliation
 * job would, exactly once. A genuine event that settles nothing answers `ignored`.
 */
export function paymentWebhookRoutes(
  providers: readonly PaymentProvider[],
  settlement: SettlementService,
): RoutePlugin {
  return async (app) => {
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    )
    for (const provider of providers) {
      app.post(
        `/v1/payments/webhooks/${provider.name}`,
        {
          config: { access: 'public', idempotency: false },
          schema: {
            tags: ['checkout'],
            summary:
              provider.name === 'stripe'
                ? "Stripe's events (signed: Stripe-Signature, STRIPE_WEBHOOK_SECRET)"
                : "The test payment provider's notifications (signed: x-test-signature)",
            response: { 200: WebhookReply, ...problems(400, 401) },
          },
        },
        async (request) => {
          const notification = provider.verifyWebhook(request.headers, String(request.body))
          if (!notification) return { outcome: 'ignored' as const }
          return { outcome: await settlement.reconcile(notification.idempotencyKey) }
        },
      )
    }
  }
}

/** The customer's cancellation and the staff refund: both move money back, so they are flows. */
export function refundRoutes(cancelOrder: CancelOrder, refundOrder: RefundOrder): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.post(
      '/v1/orders/:id/cancel',
      {
        config: { access: 'public' },
        schema: {
          tags: ['orders'],
          summary: 'Cancel a paid order before it ships: refunded in full, stock restored',
          security: [{ bearer: [] }, {}],
          params: OrderParams,
          headers: OrderTokenHeaders,
          response: { 200: OrderRef, ...problems(401, 404, 409, 503) },
        },
      },
      async (request) => cancelOrder.cancel(orderCallerOf(request), request.params.id),
    )

    app.post(
      '/v1/admin/orders/:id/refunds',
      {
        config: { access: { permission: 'orders:refund' } },
        schema: {
          tags: ['admin', 'orders'],
          security: [{ bearer: [] }],
          summary: 'Refund through the payment provider: all that is left, or `amount`',
          description:
            'Send an Idempotency-Key: a retry then gets the first reply and the money moves once.',
          params: OrderParams,
          body: RefundBody,
          response: { 201: OrderRef, ...problems(401, 403, 404, 409, 503) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await refundOrder.refund(
              request.params.id,
              request.body ?? {},
              principalOf(request).subject,
            ),
          ),
    )
  }
}
