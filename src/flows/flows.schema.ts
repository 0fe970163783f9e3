import { Type, type Static } from '@sinclair/typebox'
import { OrderRef } from '../modules/orders/index.js'

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength })

export const CheckoutParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

export const CheckoutBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    shippingAddress: Type.Object(
      {
        name: Text(200),
        line1: Text(200),
        line2: Type.Optional(Type.String({ maxLength: 200 })),
        city: Text(100),
        postalCode: Text(20),
        country: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' }),
      },
      { additionalProperties: false },
    ),
    payment: Type.Object(
      {
        method: Type.Literal('card'),
        token: Type.String({
          minLength: 1,
          maxLength: 200,
          description:
            'Stripe: a PaymentMethod id (pm_…). Test provider: tok_visa, tok_declined, ' +
            'tok_timeout. The prefix picks the provider when several are enabled.',
        }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
)
export type CheckoutInput = Static<typeof CheckoutBody>

export const CheckoutReply = Type.Object({
  order: OrderRef,
  orderToken: Type.Union([Type.String(), Type.Null()], {
    description: "A guest order's secret: send it as X-Order-Token to read the order",
  }),
})

export const CheckoutActionReply = Type.Object({
  order: OrderRef,
  orderToken: Type.Union([Type.String(), Type.Null()]),
  nextAction: Type.Object(
    {
      type: Type.Literal('use_stripe_sdk'),
      clientSecret: Type.String({
        description: "The PaymentIntent's client secret, for Stripe.js handleNextAction",
      }),
    },
    { description: 'The customer must authenticate (3-D Secure) before the payment settles' },
  ),
})

export const WebhookReply = Type.Object({
  outcome: Type.Union(
    ['paid', 'cancelled', 'already_settled', 'awaiting_payment', 'ignored'].map((o) =>
      Type.Literal(o),
    ),
  ),
})
