import type { Kysely } from 'kysely'
import { randomToken } from '../../platform/crypto.js'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { PlatformDeps } from '../../platform/module.js'
import * as createTestPayments from './migrations/2026_11_21_1020_create_test_payments.js'
import * as createStripePayments from './migrations/2026_12_05_1400_create_stripe_payments.js'
import { PaymentErrors, type PaymentProvider } from './payments.provider.js'
import type { PaymentsTables } from './payments.tables.js'
import { createStripeProvider, type StripeProviderOptions } from './stripe-provider.js'
import { createTestProvider } from './test-provider.js'

export const paymentsMigrations: MigrationSet = {
  '2026_11_21_1020_create_test_payments': createTestPayments,
  '2026_12_05_1400_create_stripe_payments': createStripePayments,
}

/**
 * The enabled providers. A checkout's card token picks one: the first enabled provider (in
 * `PAYMENT_PROVIDERS` order) whose token prefix it has (`tok_` test, `pm_` stripe), else the
 * first enabled provider, which declines a token it does not know. The order records the
 * provider's name, and settlement and refunds go back to that provider with `byName`.
 */
export interface PaymentProviders {
  /** In order of preference; never empty. */
  readonly enabled: readonly PaymentProvider[]
  forPayment(method: string, token: string): PaymentProvider
  /** Throws `payment_provider_disabled` for a provider that is not enabled (any more). */
  byName(name: string): PaymentProvider
}

export interface PaymentsModule {
  providers: PaymentProviders
  /** The secret the test provider's webhooks are signed with. */
  webhookSecret: string
}

/** What the payments module reads from the configuration. */
export interface PaymentsSettings {
  /** Enabled providers in order of preference (`test`, `stripe`); at least one. */
  providers: readonly ('test' | 'stripe')[]
  /** Secret of the test provider's webhooks; unset: random per process. */
  webhookSecret: string | undefined
  /** How long the test provider's `tok_timeout` keeps checkout waiting before it times out. */
  testProviderDelayMs: number
  /** Required when `stripe` is enabled. */
  stripe: StripeProviderOptions | undefined
}

function providerRegistry(enabled: PaymentProvider[]): PaymentProviders {
  if (enabled.length === 0) throw new Error('payments: no payment provider enabled')
  return {
    enabled,
    forPayment: (_method, token) =>
      enabled.find((p) => token.startsWith(p.tokenPrefix)) ?? enabled[0]!,
    byName(name) {
      const provider = enabled.find((p) => p.name === name)
      if (!provider) throw PaymentErrors.providerDisabled(name)
      return provider
    },
  }
}

export function createPaymentsModule(
  deps: PlatformDeps,
  settings: PaymentsSettings,
): PaymentsModule {
  const db = deps.database.db as Kysely<PaymentsTables>
  const webhookSecret = settings.webhookSecret ?? randomToken()
  const providers = settings.providers.map((name) => {
    if (name === 'test')
      return createTestProvider(db, { timeoutDelayMs: settings.testProviderDelayMs, webhookSecret })
    if (!settings.stripe) throw new Error('payments: stripe is enabled without its settings')
    return createStripeProvider(db, settings.stripe)
  })
  return { providers: providerRegistry(providers), webhookSecret }
}

export {
  PaymentErrors,
  isPaymentTimeout,
  type AuthorizeInput,
  type PaymentNextAction,
  type PaymentNotification,
  type PaymentProvider,
  type ProviderPayment,
  type ProviderPaymentStatus,
} from './payments.provider.js'
export { signTestWebhook } from './test-provider.js'
