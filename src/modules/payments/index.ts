import type { Kysely } from 'kysely'
import { randomToken } from '../../platform/crypto.js'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { PlatformDeps } from '../../platform/module.js'
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

/** What the payments module reads from the configuration. */
export interface PaymentsSettings {
  /** Secret of the test provider's webhooks; unset: random per process. */
  webhookSecret: string | undefined
  /** How long the test provider's `tok_timeout` keeps checkout waiting before it times out. */
  testProviderDelayMs: number
}

export function createPaymentsModule(
  deps: PlatformDeps,
  settings: PaymentsSettings,
): PaymentsModule {
  const webhookSecret = settings.webhookSecret ?? randomToken()
  const provider = createTestProvider(deps.database.db as Kysely<PaymentsTables>, {
    timeoutDelayMs: settings.testProviderDelayMs,
    webhookSecret,
  })
  return { provider, webhookSecret }
}

export {
  PaymentErrors,
  isPaymentTimeout,
  type AuthorizeInput,
  type PaymentNotification,
  type PaymentProvider,
  type ProviderPayment,
  type ProviderPaymentStatus,
} from './payments.provider.js'
export { signTestWebhook } from './test-provider.js'
