import { createHmac, timingSafeEqual } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Kysely } from 'kysely'
import { newId } from '../../shared/ids.js'
import {
  PaymentErrors,
  type AuthorizeInput,
  type PaymentNotification,
  type PaymentProvider,
  type ProviderPayment,
} from './payments.provider.js'
import * as repo from './payments.repo.js'
import type { TestPaymentRow } from './payments.repo.js'
import type { PaymentsTables, TestPaymentTable } from './payments.tables.js'

export interface TestProviderOptions {
  /** How long `tok_timeout` keeps the caller waiting before the timeout. */
  timeoutDelayMs: number
  /** Signs and checks the provider's webhooks (`x-test-signature: <hex HMAC-SHA256>`). */
  webhookSecret: string
}

const SIGNATURE_HEADER = 'x-test-signature'

function toPayment(row: TestPaymentRow): ProviderPayment {
  return {
    reference: row.reference,
    status: row.status,
    amount: Number(row.amount),
    currency: row.currency,
    refunded: Number(row.refunded),
    declineReason: row.decline_reason,
  }
}

/**
 * The built-in `card` provider for development and tests: `tok_visa` succeeds, `tok_declined`
 * declines, `tok_timeout` times out at authorization and then shows as authorized to a lookup.
 * It keeps its books in its own tables (`payments.test_payment`, `payments.test_refund`) the way
 * a real provider would on its side: idempotent by key, with amounts checked, so the saga around
 * it is tested for real.
 */
export function createTestProvider(
  db: Kysely<PaymentsTables>,
  options: TestProviderOptions,
): PaymentProvider {
  const byKey = (key: string) => repo.findTestPaymentByKey(db, key)
  const byReference = async (reference: string) => {
    const row = await repo.findTestPaymentByReference(db, reference)
    if (!row) throw new Error(`test provider: no payment ${reference}`)
    return row
  }
  type Status = TestPaymentTable['status']
  const setStatus = async (reference: string, from: Status[], to: Status) => {
    const updated = await repo.moveTestPaymentStatus(db, reference, from, to)
    return toPayment(updated ?? (await byReference(reference)))
  }
  const sign = (body: string) =>
    createHmac('sha256', options.webhookSecret).update(body).digest('hex')

  return {
    name: 'test',
    tokenPrefix: 'tok_',

    async authorize(input: AuthorizeInput) {
      if (input.method !== 'card') throw PaymentErrors.unknownMethod(input.method)
      const declined = input.token !== 'tok_visa' && input.token !== 'tok_timeout'
      const inserted = await repo.insertTestPayment(db, {
        idempotency_key: input.idempotencyKey,
        reference: newId('tpay'),
        amount: input.amount,
        currency: input.currency,
        token: input.token,
        status: declined ? 'declined' : 'authorized',
        decline_reason: declined
          ? input.token === 'tok_declined'
            ? 'card_declined'
            : 'invalid_token'
          : null,
      })
      // A retry with the same key finds the first attempt's payment.
      const row = inserted ?? (await byKey(input.idempotencyKey))!
      if (Number(row.amount) !== input.amount || row.currency !== input.currency)
        throw PaymentErrors.idempotencyMismatch()
      if (row.token === 'tok_timeout' && row.status === 'authorized') {
        await sleep(options.timeoutDelayMs)
        throw PaymentErrors.timeout()
      }
      return toPayment(row)
    },

    async capture(reference) {
      const payment = await setStatus(reference, ['authorized'], 'captured')
      if (payment.status !== 'captured') throw PaymentErrors.notCapturable(payment.status)
      return payment
    },

    void: (reference) => setStatus(reference, ['authorized'], 'voided'),

    async refund({ idempotencyKey, reference, amount }) {
      return db.transaction().execute(async (trx) => {
        // Only `trx` in here: on PGlite a query outside the transaction would wait for it forever.
        const done = await repo.testRefundReferenceByKey(trx, idempotencyKey)
        if (!done) {
          const updated = await repo.addTestRefundedAmount(trx, reference, amount)
          if (!updated) {
            const row = await repo.findTestPaymentByReference(trx, reference)
            if (!row) throw new Error(`test provider: no payment ${reference}`)
            throw PaymentErrors.refundTooLarge(Number(row.amount) - Number(row.refunded))
          }
          await repo.insertTestRefund(trx, {
            idempotency_key: idempotencyKey,
            reference: newId('tref'),
            payment_reference: reference,
            amount,
          })
        }
        const refund = await repo.testRefundReferenceByKey(trx, idempotencyKey)
        const payment = await repo.findTestPaymentByReference(trx, reference)
        if (!refund || !payment) throw new Error(`test provider: no refund ${idempotencyKey}`)
        return { refundReference: refund.reference, payment: toPayment(payment) }
      })
    },

    async lookup(idempotencyKey) {
      const row = await byKey(idempotencyKey)
      return row && toPayment(row)
    },

    verifyWebhook(headers, body) {
      const given = headers[SIGNATURE_HEADER]
      const expected = Buffer.from(sign(body), 'hex')
      const actual = Buffer.from(typeof given === 'string' ? given : '', 'hex')
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
        throw PaymentErrors.invalidSignature()
      let parsed: Partial<PaymentNotification>
      try {
        parsed = JSON.parse(body) as Partial<PaymentNotification>
      } catch {
        throw PaymentErrors.invalidSignature()
      }
      const { type, idempotencyKey, reference } = parsed
      if (
        (type !== 'payment.succeeded' && type !== 'payment.declined') ||
        typeof idempotencyKey !== 'string' ||
        typeof reference !== 'string'
      )
        throw PaymentErrors.invalidSignature()
      return { type, idempotencyKey, reference }
    },
  }
}

/** Signs a test-provider webhook body: what the provider's side would send. */
export function signTestWebhook(secret: string, body: string): Record<string, string> {
  return { [SIGNATURE_HEADER]: createHmac('sha256', secret).update(body).digest('hex') }
}
