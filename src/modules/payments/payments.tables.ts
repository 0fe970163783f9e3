import type { ColumnType } from 'kysely'
import type { ProviderPaymentStatus } from './payments.provider.js'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Bigint = ColumnType<number, number, number>

/**
 * The built-in test provider's own books: what a real provider keeps on its side. They live in
 * the database so a payment survives a restart and every process sees it, as at a real provider.
 */
export interface TestPaymentTable {
  idempotency_key: string
  reference: string
  amount: Bigint
  currency: string
  token: string
  status: ProviderPaymentStatus
  refunded: ColumnType<number, number | undefined, number>
  decline_reason: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface TestRefundTable {
  idempotency_key: string
  reference: string
  payment_reference: string
  amount: Bigint
  created_at: Timestamp
}

/**
 * Which Stripe PaymentIntent carries the payment made with our idempotency key (the order id):
 * Stripe cannot be asked by our key, so the reconciliation job and webhooks find the intent here.
 */
export interface StripePaymentTable {
  idempotency_key: string
  intent_id: string
  created_at: Timestamp
}

export interface PaymentsTables {
  'payments.test_payment': TestPaymentTable
  'payments.test_refund': TestRefundTable
  'payments.stripe_payment': StripePaymentTable
}
