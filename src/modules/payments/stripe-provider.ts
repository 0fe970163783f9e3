import { createRequire } from 'node:module'
import type { Kysely } from 'kysely'
import type Stripe from 'stripe'
import {
  PaymentErrors,
  type AuthorizeInput,
  type PaymentNotification,
  type PaymentProvider,
  type ProviderPayment,
} from './payments.provider.js'
import * as repo from './payments.repo.js'
import type { PaymentsTables } from './payments.tables.js'

export interface StripeProviderOptions {
  secretKey: string
  /** Verifies `Stripe-Signature` on `POST /v1/payments/webhooks/stripe`. */
  webhookSecret: string
  /** Another API address than api.stripe.com (a local Stripe-compatible server in tests). */
  apiUrl: string | undefined
}

/**
 * The stripe package, loaded (its CommonJS build) when a store configures Stripe: importing it
 * costs ~160 ms of every start otherwise (ADR 0014). `require` caches it after the first call.
 */
const require = createRequire(import.meta.url)
const loadStripe = () => require('stripe') as typeof Stripe

/** The intent's metadata entry holding our idempotency key (the order id). */
const STRIPE_KEY_METADATA = 'emporium_payment_key'

/** Events that may change how an order's payment stands; settlement then asks Stripe itself. */
const SETTLING_EVENTS: Record<string, PaymentNotification['type']> = {
  'payment_intent.amount_capturable_updated': 'payment.succeeded',
  'payment_intent.succeeded': 'payment.succeeded',
  'payment_intent.payment_failed': 'payment.declined',
  'payment_intent.canceled': 'payment.declined',
}

function clientAddress(apiUrl: string | undefined): Stripe.StripeConfig {
  if (!apiUrl) return {}
  const url = new URL(apiUrl)
  const protocol = url.protocol === 'http:' ? 'http' : 'https'
  return { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol }
}

/** Stripe's PaymentIntent as the provider-neutral payment the flows settle. */
function toPayment(intent: Stripe.PaymentIntent): ProviderPayment {
  const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null
  const base = {
    reference: intent.id,
    amount: intent.amount,
    currency: intent.currency.toUpperCase(),
    refunded: charge?.amount_refunded ?? 0,
    declineReason: null,
  }
  switch (intent.status) {
    case 'requires_capture':
      return { ...base, status: 'authorized', amount: intent.amount_capturable }
    case 'succeeded':
      return { ...base, status: 'captured', amount: intent.amount_received }
    case 'canceled':
      return { ...base, status: 'voided' }
    case 'processing':
      return { ...base, status: 'pending' }
    case 'requires_action':
      return {
        ...base,
        status: 'action_required',
        nextAction: { type: 'use_stripe_sdk', clientSecret: intent.client_secret ?? '' },
      }
    default: {
      // requires_payment_method after a failed confirmation, or never confirmed at all.
      const error = intent.last_payment_error
      const declineReason = error
        ? (error.decline_code ?? error.code ?? 'declined')
        : 'not_confirmed'
      return { ...base, status: 'declined', declineReason }
    }
  }
}

const isStripeError = (err: unknown): err is Stripe.errors.StripeError =>
  err instanceof loadStripe().errors.StripeError

/** Stripe did not answer, or answered 5xx: the call may have happened, so it is a timeout. */
async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request()
  } catch (err) {
    const { errors } = loadStripe()
    if (err instanceof errors.StripeConnectionError || err instanceof errors.StripeAPIError)
      throw PaymentErrors.timeout()
    throw err
  }
}

/**
 * The `stripe` provider (method `card`, tokens are PaymentMethod ids `pm_…`): a PaymentIntent with
 * `capture_method: manual`, created, recorded in `payments.stripe_payment`, then confirmed with
 * the PaymentMethod; settlement captures it. Every call that writes carries an idempotency key
 * derived from our key (the order id) or the intent id, so a retry after a crash or a timeout
 * replays Stripe's first answer and never charges, captures or refunds twice.
 */
export function createStripeProvider(
  db: Kysely<PaymentsTables>,
  options: StripeProviderOptions,
): PaymentProvider {
  const StripeClient = loadStripe()
  const stripe = new StripeClient(options.secretKey, {
    ...clientAddress(options.apiUrl),
    maxNetworkRetries: 2,
    timeout: 30_000,
    appInfo: { name: 'Emporium' },
  })
  const retrieve = (id: string) =>
    call(() => stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] }))

  /** Capture or cancel; when the intent has moved on already, its current state. */
  async function move(id: string, action: 'capture' | 'cancel'): Promise<ProviderPayment> {
    try {
      const options = { idempotencyKey: `${id}:${action}` }
      return toPayment(
        await call(() =>
          action === 'capture'
            ? stripe.paymentIntents.capture(id, {}, options)
            : stripe.paymentIntents.cancel(id, {}, options),
        ),
      )
    } catch (err) {
      if (!isStripeError(err) || err.code !== 'payment_intent_unexpected_state') throw err
      return toPayment(await retrieve(id))
    }
  }

  async function confirm(id: string, token: string, key: string): Promise<ProviderPayment> {
    try {
      return toPayment(
        await call(() =>
          stripe.paymentIntents.confirm(
            id,
            { payment_method: token },
            { idempotencyKey: `${key}:confirm` },
          ),
        ),
      )
    } catch (err) {
      // A declined card is an answer, not a failure: the intent records why.
      if (isStripeError(err) && err.type === 'StripeCardError') return toPayment(await retrieve(id))
      // No such PaymentMethod: nothing was charged; declined like the test provider's bad token.
      if (isStripeError(err) && err.code === 'resource_missing')
        return { ...toPayment(await retrieve(id)), declineReason: 'invalid_token' }
      throw err
    }
  }

  return {
    name: 'stripe',
    tokenPrefix: 'pm_',

    async authorize(input: AuthorizeInput) {
      if (input.method !== 'card') throw PaymentErrors.unknownMethod(input.method)
      const key = input.idempotencyKey
      const currency = input.currency.toLowerCase()
      const known = await repo.findStripeIntentId(db, key)
      let intent: Stripe.PaymentIntent
      if (known) intent = await retrieve(known)
      else {
        intent = await call(() =>
          stripe.paymentIntents.create(
            {
              amount: input.amount,
              currency,
              capture_method: 'manual',
              automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
              metadata: { [STRIPE_KEY_METADATA]: key },
            },
            { idempotencyKey: `${key}:create` },
          ),
        )
        // Recorded before any money can move: a crash after this point is found by `lookup`.
        await repo.insertStripePayment(db, key, intent.id)
      }
      if (intent.amount !== input.amount || intent.currency !== currency)
        throw PaymentErrors.idempotencyMismatch()
      const unconfirmed =
        intent.status === 'requires_confirmation' ||
        (intent.status === 'requires_payment_method' && !intent.last_payment_error)
      return unconfirmed ? confirm(intent.id, input.token, key) : toPayment(intent)
    },

    async capture(reference) {
      const payment = await move(reference, 'capture')
      if (payment.status !== 'captured') throw PaymentErrors.notCapturable(payment.status)
      return payment
    },

    void: (reference) => move(reference, 'cancel'),

    async refund({ idempotencyKey, reference, amount }) {
      let refund: Stripe.Refund
      try {
        refund = await call(() =>
          stripe.refunds.create({ payment_intent: reference, amount }, { idempotencyKey }),
        )
      } catch (err) {
        const tooLarge = ['amount_too_large', 'charge_already_refunded']
        if (!isStripeError(err) || !tooLarge.includes(err.code ?? '')) throw err
        const payment = toPayment(await retrieve(reference))
        throw PaymentErrors.refundTooLarge(payment.amount - payment.refunded)
      }
      return { refundReference: refund.id, payment: toPayment(await retrieve(reference)) }
    },

    async lookup(idempotencyKey) {
      const id = await repo.findStripeIntentId(db, idempotencyKey)
      return id === undefined ? undefined : toPayment(await retrieve(id))
    },

    verifyWebhook(headers, body) {
      const signature = headers['stripe-signature']
      let event: Stripe.Event
      try {
        event = stripe.webhooks.constructEvent(
          body,
          typeof signature === 'string' ? signature : '',
          options.webhookSecret,
        )
      } catch {
        throw PaymentErrors.invalidStripeSignature()
      }
      const type = SETTLING_EVENTS[event.type]
      if (!type) return undefined
      const intent = event.data.object as Stripe.PaymentIntent
      const idempotencyKey = intent.metadata?.[STRIPE_KEY_METADATA]
      return idempotencyKey ? { type, idempotencyKey, reference: intent.id } : undefined
    },
  }
}
