import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.js'
import { spawnRole } from '../helpers/process.js'

/** Production's other required settings, so the payment rule is what the process stops on. */
const PRODUCTION = {
  NODE_ENV: 'production',
  MFA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  WEBHOOK_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64'),
  SIGNING_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
  SMTP_URL: 'smtp://127.0.0.1:2525',
}
const STRIPE = { STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' }

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error))
    return error.message
  }
  assert.fail(`loadConfig accepted ${JSON.stringify(env)}`)
}

describe('payment configuration', () => {
  test('outside production the test provider is the default', () => {
    assert.deepEqual(loadConfig({}).checkout.paymentProviders, ['test'])
    assert.equal(loadConfig({}).checkout.stripe, undefined)
  })

  test('production refuses the test provider, named or by default, and no provider at all', () => {
    for (const env of [
      { ...PRODUCTION, PAYMENT_PROVIDERS: 'test' },
      { ...PRODUCTION, ...STRIPE, PAYMENT_PROVIDERS: 'stripe,test' },
    ])
      assert.match(refusal(env), /^Invalid configuration: PAYMENT_PROVIDERS .*"test" in production/)
    assert.match(refusal(PRODUCTION), /^Invalid configuration: PAYMENT_PROVIDERS must name/)
    const config = loadConfig({ ...PRODUCTION, ...STRIPE, PAYMENT_PROVIDERS: 'stripe' })
    assert.deepEqual(config.checkout.paymentProviders, ['stripe'])
  })

  test('stripe needs both secrets; unknown and repeated names are refused', () => {
    const only = (env: Record<string, string>) => refusal({ PAYMENT_PROVIDERS: 'stripe', ...env })
    assert.match(only({ STRIPE_WEBHOOK_SECRET: 'whsec_x' }), /STRIPE_SECRET_KEY must be set/)
    assert.match(only({ STRIPE_SECRET_KEY: 'sk_test_x' }), /STRIPE_WEBHOOK_SECRET must be set/)
    assert.match(only({ ...STRIPE, STRIPE_API_URL: 'ftp://x' }), /STRIPE_API_URL must use/)
    assert.match(refusal({ PAYMENT_PROVIDERS: 'paypal' }), /unknown provider "paypal"/)
    assert.match(refusal({ PAYMENT_PROVIDERS: 'test,test' }), /names a provider twice/)
    const config = loadConfig({
      PAYMENT_PROVIDERS: 'stripe,test',
      ...STRIPE,
      STRIPE_API_URL: 'http://127.0.0.1:12111',
    })
    assert.deepEqual(config.checkout.paymentProviders, ['stripe', 'test'])
    assert.equal(config.checkout.stripe?.apiUrl, 'http://127.0.0.1:12111')
  })

  test('a production process with the default (test) provider refuses to start', async () => {
    await assert.rejects(
      spawnRole('start', PRODUCTION, { timeoutMs: 60_000 }),
      /exited early: Invalid configuration: PAYMENT_PROVIDERS/,
    )
  })
})
