import type { Kysely } from 'kysely'
import { randomToken } from '../../platform/crypto.js'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleDeps } from '../index.js'
import * as createTestPayments from './migrations/2026_11_21_1020_create_test_payments.js'
import type { PaymentProvider } from './payments.provider.js'
import type { PaymentsTables } from './payments.tables.js'
import { createTestProvider } from './test-provider.js'

export const paymentsMigrations: MigrationSet = {
  '2026_11_21_1020_create_test_payments': createTestPayments,
}

export interface PaymentsModule {
  /** The provider behind payment method `card`: the built-in test provider for now. */
  provider: PaymentProvider
  /** The secret the provider's webhooks are signed with. */
  webhookSecret: string
}

export function createPaymentsModule(deps: ModuleDeps): PaymentsModule {
  const webhookSecret = deps.config.checkout.paymentWebhookSecret ?? randomToken()
  const provider = createTestProvider(deps.database.db as Kysely<PaymentsTables>, {
    timeoutDelayMs: deps.config.checkout.testProviderDelayMs,
    webhookSecret,
  })
  return { provider, webhookSecret }
}

export {
  PaymentErrors,
  type AuthorizeInput,
  type PaymentNotification,
  type PaymentProvider,
  type ProviderPayment,
  type ProviderPaymentStatus,
} from './payments.provider.js'
export { signTestWebhook } from './test-provider.js'
