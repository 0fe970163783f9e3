import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { ConfigError, loadConfig, productionProblems } from '../../src/config.js'
import { createSecretBox } from '../../src/platform/crypto.js'
import { engine } from '../helpers/context.js'
import { refusedStart, spawnRole } from '../helpers/process.js'
import { freePort, throwawayDatabaseUrl } from './support.js'

const key = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')

/** Everything production requires, a real payment provider included. */
function productionEnv(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    MFA_ENCRYPTION_KEY: key(),
    WEBHOOK_ENCRYPTION_KEY: key(),
    SIGNING_KEY_ENCRYPTION_KEY: key(),
    SMTP_URL: 'smtp://127.0.0.1:2525',
    PAYMENT_PROVIDERS: 'stripe',
    STRIPE_SECRET_KEY: 'sk_test_production_test',
    STRIPE_WEBHOOK_SECRET: 'whsec_production_test',
  }
}

function refusal(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env)
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`)
    assert.doesNotMatch(error.message, /\n/)
    return error
  }
  assert.fail('loadConfig accepted the environment')
}

describe('production mode (NODE_ENV=production)', () => {
  test('starts with the three keys and SMTP_URL, on the embedded engine', () => {
    const config = loadConfig(productionEnv())
    assert.equal(config.isProduction, true)
    assert.equal(config.databaseUrl, undefined)
    assert.deepEqual(productionProblems(config), [])
  })

  for (const variable of [
    'MFA_ENCRYPTION_KEY',
    'WEBHOOK_ENCRYPTION_KEY',
    'SIGNING_KEY_ENCRYPTION_KEY',
    'SMTP_URL',
  ]) {
    test(`refuses to start without ${variable}, naming it`, () => {
      const error = refusal({ ...productionEnv(), [variable]: undefined })
      assert.match(error.message, new RegExp(`^Invalid configuration: ${variable} must be set`))
      // Outside production the same environment is accepted.
      assert.doesNotThrow(() =>
        loadConfig({ ...productionEnv(), NODE_ENV: 'development', [variable]: undefined }),
      )
    })
  }

  test('refuses TRUST_PROXY=true, naming it; outside production it is accepted', () => {
    const error = refusal({ ...productionEnv(), TRUST_PROXY: 'true' })
    assert.match(error.message, /^Invalid configuration: TRUST_PROXY must not be true/)
    assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true)
    assert.deepEqual(loadConfig({ ...productionEnv(), TRUST_PROXY: '10.0.0.0/8' }).trustProxy, [
      '10.0.0.0/8',
    ])
  })

  test('productionProblems lists every problem, one line each', () => {
    const config = loadConfig({ TRUST_PROXY: 'true' })
    const problems = productionProblems({ ...config, isProduction: true })
    assert.deepEqual(
      problems.map((p) => p.message.split(' ')[2]),
      [
        'MFA_ENCRYPTION_KEY',
        'WEBHOOK_ENCRYPTION_KEY',
        'SIGNING_KEY_ENCRYPTION_KEY',
        'SMTP_URL',
        'TRUST_PROXY',
      ],
    )
    for (const problem of problems) assert.doesNotMatch(problem.message, /\n/)
  })
})

describe('TRUST_PROXY values', () => {
  test('addresses, CIDRs (IPv4 and IPv6), a hop count, or off', () => {
    assert.deepEqual(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8' }).trustProxy, [
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
    ])
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2)
    assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false)
    assert.equal(loadConfig({ TRUST_PROXY: '0' }).trustProxy, false)
  })

  for (const bad of [
    '10.0.0.300',
    'proxy.internal',
    '10.0.0.0/33',
    '::1/129',
    '10.0.0.0/8/1',
    '1000',
  ]) {
    test(`"${bad}" stops the start naming TRUST_PROXY`, () => {
      assert.match(refusal({ TRUST_PROXY: bad }).message, /^Invalid configuration: TRUST_PROXY /)
    })
  }
})

describe('encryption key lists', () => {
  const [k1, k2] = [key(), key()]

  test('the single-value form keeps working, with its fingerprint as id', () => {
    const [only, ...rest] = loadConfig({ MFA_ENCRYPTION_KEY: k1 }).mfaEncryptionKeys
    assert.equal(rest.length, 0)
    assert.match(only!.id, /^[\w-]{8}$/)
    assert.equal(only!.key, k1)
  })

  test('a value sealed under k1 opens once the variable is k2,k1, and new seals use k2', () => {
    for (const variable of [
      'MFA_ENCRYPTION_KEY',
      'WEBHOOK_ENCRYPTION_KEY',
      'SIGNING_KEY_ENCRYPTION_KEY',
    ]) {
      const keysOf = (value: string) => {
        const config = loadConfig({ [variable]: value })
        return [
          ...{
            MFA_ENCRYPTION_KEY: config.mfaEncryptionKeys,
            WEBHOOK_ENCRYPTION_KEY: config.webhookEncryptionKeys,
            SIGNING_KEY_ENCRYPTION_KEY: config.signingKeyEncryptionKeys,
          }[variable]!,
        ]
      }
      const before = createSecretBox({ keys: keysOf(`k1:${k1}`), label: 'x' })
      const sealed = before.seal('row-1', 'the secret')
      assert.match(sealed, /^v2\.k1\./)

      const after = createSecretBox({ keys: keysOf(`k2:${k2}, k1:${k1}`), label: 'x' })
      assert.equal(after.open('row-1', sealed), 'the secret')
      assert.ok(after.needsReseal(sealed))
      const resealed = after.seal('row-1', 'the secret')
      assert.match(resealed, /^v2\.k2\./)
      assert.equal(after.needsReseal(resealed), false)
      // k1 alone cannot open what k2 sealed: the new seals really use k2.
      assert.throws(() => before.open('row-1', resealed), /k2/)
    }
  })

  test('a legacy single key still opens after a named key is put in front of it', () => {
    const legacy = createSecretBox({
      keys: [...loadConfig({ MFA_ENCRYPTION_KEY: k1 }).mfaEncryptionKeys],
      label: 'mfa',
    })
    const sealed = legacy.seal('u1', 'totp')
    const rotated = createSecretBox({
      keys: [...loadConfig({ MFA_ENCRYPTION_KEY: `k2:${k2},${k1}` }).mfaEncryptionKeys],
      label: 'mfa',
    })
    assert.equal(rotated.open('u1', sealed), 'totp')
  })

  const invalid: [string, RegExp][] = [
    ['not-base64-of-32-bytes', /key 1 must be 32 bytes/],
    [`k1:${k1},k2:short`, /key 2 must be 32 bytes/],
    [`bad.id:${k1}`, /key 1 has an invalid id/],
    [`k1:${k1},k1:${k2}`, /names key id "k1" twice/],
  ]
  for (const [value, problem] of invalid) {
    test(`${problem.source} stops the start, naming the variable and never echoing a key`, () => {
      const message = refusal({ SIGNING_KEY_ENCRYPTION_KEY: value }).message
      assert.match(message, /^Invalid configuration: SIGNING_KEY_ENCRYPTION_KEY /)
      assert.match(message, problem)
      assert.ok(!message.includes(k1) && !message.includes(k2), message)
    })
  }
})

describe(`the emporium process in production (${engine})`, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'emporium-production-'))
  after(() => rmSync(dataDir, { recursive: true, force: true }))

  test(
    'exits 1 with one stderr line naming SMTP_URL when it is unset',
    { timeout: 30_000 },
    async () => {
      const {
        code,
        stdout,
        stderrLines: lines,
      } = await refusedStart({
        ...productionEnv(),
        SMTP_URL: '',
        DATA_DIR: dataDir,
      })
      assert.equal(code, 1)
      assert.equal(stdout, '')
      assert.equal(lines.length, 1, `stderr was:\n${lines.join('\n')}`)
      assert.match(lines[0]!, /^Invalid configuration: SMTP_URL must be set in production/)
    },
  )

  test('starts when everything required is set', { timeout: 90_000 }, async () => {
    const database = await throwawayDatabaseUrl({ migrated: true })
    const port = await freePort()
    const started = await spawnRole(
      'start',
      {
        ...productionEnv(),
        PORT: String(port),
        DATA_DIR: dataDir,
        ...(database ? { DATABASE_URL: database.url } : {}),
      },
      { timeoutMs: 60_000 },
    )
    try {
      const res = await fetch(`http://127.0.0.1:${port}/.well-known/jwks.json`)
      assert.equal(res.status, 200)
    } finally {
      started.child.kill('SIGTERM')
      await started.exited
      await database?.drop()
    }
  })
})
