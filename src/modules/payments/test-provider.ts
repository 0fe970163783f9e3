import { createHmac, timingSafeEqual } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Kysely, Selectable } from 'kysely'
import { newId } from '../../shared/ids.js'
import {
  PaymentErrors,
  type AuthorizeInput,
  type PaymentNotification,
  type PaymentProvider,
  type ProviderPayment,
} from './payments.provider.js'
import type { PaymentsTables, TestPaymentTable } from './payments.tables.js'

export interface TestProviderOptions {
  /** How long `tok_timeout` keeps the caller waiting before the timeout. */
  timeoutDelayMs: number
  /** Signs and checks the provider's webhooks (`x-test-signature: <hex HMAC-SHA256>`). */
  webhookSecret: string
}

const SIGNATURE_HEADER = 'x-test-signature'

function toPayment(row: Selectable<TestPaymentTable>): ProviderPayment {
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
  const byKey = (key: string) =>
    db
      .selectFrom('payments.test_payment')
      .selectAll()
      .where('idempotency_key', '=', key)
      .executeTakeFirst()
  const byReference = async (reference: string) => {
    const row = await db
      .selectFrom('payments.test_payment')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirst()
    if (!row) throw new Error(`test provider: no payment ${reference}`)
    return row
  }
  const setStatus = async (reference: string, from: string[], to: TestPaymentTable['status']) => {
    const updated = await db
      .updateTable('payments.test_payment')
      .set({ status: to, updated_at: new Date() })
      .where('reference', '=', reference)
      .where('status', 'in', from as TestPaymentTable['status'][])
      .returningAll()
      .executeTakeFirst()
    return toPayment(updated ?? (await byReference(reference)))
  }
  const sign = (body: string) =>
    createHmac('sha256', options.webhookSecret).update(body).digest('hex')

  return {
    name: 'test',

    async authorize(input: AuthorizeInput) {
      if (input.method !== 'card') throw PaymentErrors.unknownMethod(input.method)
      const declined = input.token !== 'tok_visa' && input.token !== 'tok_timeout'
      const inserted = await db
        .insertInto('payments.test_payment')
        .values({
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
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returningAll()
        .executeTakeFirst()
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
        const done = await trx
          .selectFrom('payments.test_refund')
          .selectAll()
          .where('idempotency_key', '=', idempotencyKey)
          .executeTakeFirst()
        if (!done) {
          const updated = await trx
            .updateTable('payments.test_payment')
            .set((eb) => ({ refunded: eb('refunded', '+', amount), updated_at: new Date() }))
            .where('reference', '=', reference)
            .where('status', '=', 'captured')
            .where((eb) => eb(eb('refunded', '+', amount), '<=', eb.ref('amount')))
            .returning(['amount', 'refunded'])
            .executeTakeFirst()
          if (!updated) {
            // Inside the transaction: on PGlite a query outside it would wait for it forever.
            const row = await trx
              .selectFrom('payments.test_payment')
              .select(['amount', 'refunded'])
              .where('reference', '=', reference)
              .executeTakeFirstOrThrow()
            throw PaymentErrors.refundTooLarge(Number(row.amount) - Number(row.refunded))
          }
          await trx
            .insertInto('payments.test_refund')
            .values({
              idempotency_key: idempotencyKey,
              reference: newId('tref'),
              payment_reference: reference,
              amount,
            })
            .execute()
        }
        const refund = await trx
          .selectFrom('payments.test_refund')
          .select('reference')
          .where('idempotency_key', '=', idempotencyKey)
          .executeTakeFirstOrThrow()
        const payment = await trx
          .selectFrom('payments.test_payment')
          .selectAll()
          .where('reference', '=', reference)
          .executeTakeFirstOrThrow()
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
