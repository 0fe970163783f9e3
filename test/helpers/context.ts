import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { loadConfig, type Config } from '../../src/config.js'
import type { Database } from '../../src/platform/db/database.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createRuntime, type Runtime } from '../../src/runtime.js'
import { openTestDatabase } from './database.js'
import { client, type Client } from './http.js'

export { openTestDatabase }

export const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite'

export interface TestContext {
  config: Config
  runtime: Runtime
  database: Database
  app: FastifyInstance
  /** Log lines the app wrote, parsed. */
  logs: Record<string, unknown>[]
  /** A new account with this role, signed in: returns its access token. */
  tokenFor(role: 'admin' | 'staff' | 'customer'): Promise<string>
  /** Requests to the app signed in with `token` (anonymous without one). */
  as(token?: string): Client
  close(): Promise<void>
}

let counter = 0
export function uniqueSuffix(): string {
  return `${process.pid.toString(36)}${(counter++).toString(36)}${randomBytes(3).toString('hex')}`
}

/**
 * Tests create many accounts from one address, so limits are raised here; a test of the limits
 * themselves passes its own RATE_LIMIT_* / LOGIN_LOCKOUT_* values, which win.
 */
const TEST_LIMITS = {
  RATE_LIMIT_DEFAULT: '100000/60',
  RATE_LIMIT_USER: '100000/60',
  RATE_LIMIT_AUTH: '100000/60',
  RATE_LIMIT_AUTH_ACCOUNT: '100000/60',
  LOGIN_LOCKOUT_THRESHOLD: '1000',
}

/**
 * Key prefixes of this context's own, so that rate-limit counters and cache generations in a
 * shared Redis never leak between tests, nor between CI runs on the same server. A test of two
 * instances sharing Redis passes the same prefixes to both.
 */
export function isolatedRedisKeys(): { RATE_LIMIT_PREFIX: string; CACHE_PREFIX: string } {
  const suffix = uniqueSuffix()
  return { RATE_LIMIT_PREFIX: `test:${suffix}:rl`, CACHE_PREFIX: `test:${suffix}:cache` }
}

/** A migrated database of its own (a copy of the template) and the whole app on it; the relay and jobs are not started. */
export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const config = loadConfig({
    SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    ...TEST_LIMITS,
    ...isolatedRedisKeys(),
    ...env,
  })
  const logs: Record<string, unknown>[] = []
  const logger = createLogger(config.logLevel, {
    write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>),
  })
  const { database, drop } = await openTestDatabase({ migrated: true })
  const runtime = createRuntime(config, logger, database)
  const app = await runtime.buildApp()
  await app.ready()

  return {
    config,
    runtime,
    database,
    app,
    logs,
    as: (token) => client(app, token),
    async tokenFor(role) {
      const email = `${role}-${uniqueSuffix()}@example.test`
      const password = `correct horse ${uniqueSuffix()}`
      await runtime.modules.auth.service.createUser({ email, password, name: `Test ${role}`, role })
      const res = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email, password },
      })
      if (res.statusCode !== 200) throw new Error(`login failed for test ${role}: ${res.body}`)
      return (res.json() as { accessToken: string }).accessToken
    },
    async close() {
      await app.close()
      await runtime.relay.stop()
      await runtime.jobs.stop()
      await runtime.closeConnections()
      await database.close()
      await drop()
    },
  }
}
