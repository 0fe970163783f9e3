import { AppError, isAppError } from '../../platform/errors.js'

/**
 * Where a payment stands at the provider. `action_required`: the customer must authenticate
 * (3-D Secure) with `nextAction`; `pending`: the provider is still working on it. Both settle
 * later, by webhook or by the reconciliation job.
 */
export type ProviderPaymentStatus =
  'authorized' | 'captured' | 'declined' | 'voided' | 'action_required' | 'pending'

/** What the storefront does for an `action_required` payment: Stripe.js `handleNextAction`. */
export interface PaymentNextAction {
  type: 'use_stripe_sdk'
  clientSecret: string
}

/** The provider's record of one payment, keyed by the idempotency key we sent. */
export interface ProviderPayment {
  /** The provider's id for the payment. */
  reference: string
  status: ProviderPaymentStatus
  amount: number
  currency: string
  /** Minor units refunded so far. */
  refunded: number
  declineReason: string | null
  /** Set when the status is `action_required`. */
  nextAction?: PaymentNextAction
}

export interface AuthorizeInput {
  /** Ours: the same key twice is the same payment, never a second charge. */
  idempotencyKey: string
  amount: number
  currency: string
  method: string
  token: string
}

export interface RefundInput {
  idempotencyKey: string
  reference: string
  amount: number
}

/** A provider's notification about a payment, after its signature was checked. */
export interface PaymentNotification {
  type: 'payment.succeeded' | 'payment.declined'
  /** The idempotency key the payment was created with (our order id). */
  idempotencyKey: string
  reference: string
}

/**
 * What Emporium needs from a payment provider. Every call that moves money carries our
 * idempotency key, so a retry after a timeout or a crash never charges or refunds twice. A call
 * that gets no answer throws `PaymentErrors.timeout`; `lookup` then tells what happened.
 */
export interface PaymentProvider {
  readonly name: string
  /** The prefix of the card tokens it takes (`tok_`, `pm_`): how a checkout picks a provider. */
  readonly tokenPrefix: string
  authorize(input: AuthorizeInput): Promise<ProviderPayment>
  /** Captures an authorized payment in full; capturing a captured one returns it unchanged. */
  capture(reference: string): Promise<ProviderPayment>
  /** Cancels an authorization that was not captured; a captured payment must be refunded. */
  void(reference: string): Promise<ProviderPayment>
  refund(input: RefundInput): Promise<{ refundReference: string; payment: ProviderPayment }>
  /** The payment made with this idempotency key, or undefined when the provider has none. */
  lookup(idempotencyKey: string): Promise<ProviderPayment | undefined>
  /**
   * Checks a webhook's signature and throws when it is not the provider's; undefined for a
   * genuine event that settles nothing.
   */
  verifyWebhook(
    headers: Record<string, string | string[] | undefined>,
    body: string,
  ): PaymentNotification | undefined
}

export const PaymentErrors = {
  timeout: () =>
    new AppError({
      kind: 'unavailable',
      code: 'payment_timeout',
      title: 'Payment provider timed out',
      detail: 'The payment provider did not answer in time; the payment will be settled later.',
    }),
  unknownMethod: (method: string) =>
    new AppError({
      kind: 'validation',
      code: 'payment_method_unsupported',
      title: 'Payment method not supported',
      detail: `Payment method "${method}" is not supported; use "card".`,
      errors: [{ path: '/body/payment/method', message: 'is not a supported payment method' }],
    }),
  refundTooLarge: (left: number) =>
    new AppError({
      kind: 'conflict',
      code: 'refund_exceeds_payment',
      title: 'Refund exceeds payment',
      detail: `At most ${left} minor units are left to refund.`,
    }),
  notCapturable: (status: string) =>
    new AppError({
      kind: 'conflict',
      code: 'payment_not_capturable',
      title: 'Payment cannot be captured',
      detail: `A ${status} payment cannot be captured.`,
    }),
  idempotencyMismatch: () =>
    new AppError({
      kind: 'conflict',
      code: 'payment_idempotency_mismatch',
      title: 'Idempotency key reused',
      detail: 'This payment key was used before for another amount.',
    }),
  /** Stripe's convention: a webhook whose signature does not verify gets a 400. */
  invalidStripeSignature: () =>
    new AppError({
      kind: 'validation',
      code: 'invalid_signature',
      title: 'Invalid signature',
      detail: 'The Stripe-Signature header does not verify this body.',
    }),
  providerDisabled: (name: string) =>
    new AppError({
      kind: 'unavailable',
      code: 'payment_provider_disabled',
      title: 'Payment provider disabled',
      detail: `This payment was made with "${name}", which is not enabled (PAYMENT_PROVIDERS).`,
    }),
  invalidSignature: () =>
    new AppError({
      kind: 'unauthenticated',
      code: 'invalid_signature',
      title: 'Invalid signature',
      detail: 'The webhook signature does not match.',
    }),
}

/** The provider did not answer in time: the money may still move, so retry with the same key. */
export const isPaymentTimeout = (err: unknown): boolean =>
  isAppError(err) && err.code === 'payment_timeout'
