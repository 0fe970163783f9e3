import type { Insertable, Kysely, Selectable, Transaction } from 'kysely'
import type { PaymentsTables, TestPaymentTable, TestRefundTable } from './payments.tables.js'

export type PaymentsDb = Kysely<PaymentsTables> | Transaction<PaymentsTables>
export type TestPaymentRow = Selectable<TestPaymentTable>
type PaymentStatus = TestPaymentTable['status']

const PAYMENT_COLUMNS = [
  'idempotency_key',
  'reference',
  'amount',
  'currency',
  'token',
  'status',
  'refunded',
  'decline_reason',
  'created_at',
  'updated_at',
] as const

export function findTestPaymentByKey(db: PaymentsDb, idempotencyKey: string) {
  return db
    .selectFrom('payments.test_payment')
    .select(PAYMENT_COLUMNS)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst()
}

export function findTestPaymentByReference(db: PaymentsDb, reference: string) {
  return db
    .selectFrom('payments.test_payment')
    .select(PAYMENT_COLUMNS)
    .where('reference', '=', reference)
    .executeTakeFirst()
}

/** Undefined when a payment with this idempotency key already exists. */
export function insertTestPayment(db: PaymentsDb, payment: Insertable<TestPaymentTable>) {
  return db
    .insertInto('payments.test_payment')
    .values(payment)
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning(PAYMENT_COLUMNS)
    .executeTakeFirst()
}

/** Undefined when the payment is not in one of the `from` statuses. */
export function moveTestPaymentStatus(
  db: PaymentsDb,
  reference: string,
  from: PaymentStatus[],
  to: PaymentStatus,
) {
  return db
    .updateTable('payments.test_payment')
    .set({ status: to, updated_at: new Date() })
    .where('reference', '=', reference)
    .where('status', 'in', from)
    .returning(PAYMENT_COLUMNS)
    .executeTakeFirst()
}

export function testRefundReferenceByKey(db: PaymentsDb, idempotencyKey: string) {
  return db
    .selectFrom('payments.test_refund')
    .select('reference')
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst()
}

/** Adds to a captured payment's refunded amount; undefined when it would exceed the amount. */
export function addTestRefundedAmount(trx: PaymentsDb, reference: string, amount: number) {
  return trx
    .updateTable('payments.test_payment')
    .set((eb) => ({ refunded: eb('refunded', '+', amount), updated_at: new Date() }))
    .where('reference', '=', reference)
    .where('status', '=', 'captured')
    .where((eb) => eb(eb('refunded', '+', amount), '<=', eb.ref('amount')))
    .returning(['amount', 'refunded'])
    .executeTakeFirst()
}

export async function insertTestRefund(trx: PaymentsDb, refund: Insertable<TestRefundTable>) {
  await trx.insertInto('payments.test_refund').values(refund).execute()
}

export async function findStripeIntentId(db: PaymentsDb, idempotencyKey: string) {
  const row = await db
    .selectFrom('payments.stripe_payment')
    .select('intent_id')
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst()
  return row?.intent_id
}

/** Records the intent made for a key; a retry that created the same intent changes nothing. */
export async function insertStripePayment(
  db: PaymentsDb,
  idempotencyKey: string,
  intentId: string,
) {
  await db
    .insertInto('payments.stripe_payment')
    .values({ idempotency_key: idempotencyKey, intent_id: intentId })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute()
}
