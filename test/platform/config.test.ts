import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, test } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.js'
import { refusedStart } from '../helpers/process.js'

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env)
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`)
    return error
  }
  assert.fail(`loadConfig accepted ${JSON.stringify(env)}`)
}

describe('loadConfig', () => {
  test('an empty environment gives the documented defaults', () => {
    const config = loadConfig({})

    assert.equal(config.port, 3000)
    assert.equal(config.host, '127.0.0.1')
    assert.equal(config.dataDir, path.resolve('.emporium'))
    assert.ok(path.isAbsolute(config.dataDir))
    assert.equal(config.databaseUrl, undefined)
    assert.deepEqual(config.databaseReplicaUrls, [])
    assert.equal(config.natsUrl, undefined, 'the in-process event bus')
    assert.equal(config.seedDemo, true)
    assert.equal(config.logLevel, 'info')
    assert.equal(config.trustProxy, false)
    assert.deepEqual(config.corsOrigins, [])
    assert.equal(config.bodyLimit, 1_048_576)
    assert.equal(config.idempotencyKeyTtlHours, 24)
    assert.equal(config.publicUrl, 'http://127.0.0.1:3000')
    assert.ok(Object.isFrozen(config))
  })

  test('valid values are parsed into typed settings', () => {
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: '/var/lib/emporium',
      DATABASE_URL: 'postgres://app@db:5432/shop',
      DATABASE_REPLICA_URLS: 'postgres://app@r1/shop, postgresql://app@r2/shop',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'WARN',
      ADMIN_EMAIL: 'Admin@Example.com',
      ADMIN_PASSWORD: 'a long enough password',
      TRUST_PROXY: '10.0.0.1,10.0.0.2',
    })

    assert.equal(config.port, 8080)
    assert.equal(config.dataDir, '/var/lib/emporium')
    assert.equal(config.databaseUrl, 'postgres://app@db:5432/shop')
    assert.deepEqual(config.databaseReplicaUrls, [
      'postgres://app@r1/shop',
      'postgresql://app@r2/shop',
    ])
    assert.equal(config.seedDemo, false)
    assert.equal(config.logLevel, 'warn')
    assert.equal(config.adminEmail, 'admin@example.com')
    assert.deepEqual(config.trustProxy, ['10.0.0.1', '10.0.0.2'])
  })

  const invalid: [string, Record<string, string>, string][] = [
    ['a port that is not a number', { PORT: 'abc' }, 'PORT'],
    ['a port out of range', { PORT: '70000' }, 'PORT'],
    ['a DATABASE_URL that is not PostgreSQL', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['a NATS_URL that is not nats://', { NATS_URL: 'http://nats:4222' }, 'NATS_URL'],
    ['a SEED_DEMO that is not a boolean', { SEED_DEMO: 'maybe' }, 'SEED_DEMO'],
    ['ADMIN_EMAIL without ADMIN_PASSWORD', { ADMIN_EMAIL: 'admin@example.com' }, 'ADMIN_PASSWORD'],
    [
      'idempotency keys kept under 24 hours',
      { IDEMPOTENCY_KEY_TTL_HOURS: '12' },
      'IDEMPOTENCY_KEY_TTL_HOURS',
    ],
    [
      'replicas without a primary',
      { DATABASE_REPLICA_URLS: 'postgres://replica/shop' },
      'DATABASE_REPLICA_URLS',
    ],
  ]
  for (const [label, env, variable] of invalid) {
    test(`${label} is refused with one line naming ${variable}`, () => {
      const error = configErrorOf(env)
      assert.doesNotMatch(error.message, /\n/)
      assert.match(error.message, new RegExp(`\\b${variable}\\b`))
    })
  }
})

describe('the emporium process', () => {
  test(
    'exits 1 with one stderr line naming PORT when PORT is invalid',
    { timeout: 30_000 },
    async () => {
      const { code, stdout, stderrLines: lines } = await refusedStart({ PORT: 'abc' })
      assert.equal(code, 1)
      assert.equal(stdout, '')
      assert.equal(lines.length, 1, `stderr was:\n${lines.join('\n')}`)
      assert.match(lines[0]!, /\bPORT\b/)
    },
  )
})
