import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { LightMyRequestResponse } from 'fastify'
import { isolatedRedisKeys } from '../helpers/context.js'
import { throwawayPostgres, type ThrowawayDatabase } from '../helpers/database.js'

/** Polls `check` until it returns a value other than undefined/false, or fails at the deadline. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(intervalMs)
  }
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

/**
 * The environment for a child `emporium` process: ours, minus the test runner's own variables
 * (a child that sees NODE_TEST_CONTEXT reports to the runner instead of its stdout).
 */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  // One process unless a test asks for a cluster: on PostgreSQL `start` otherwise forks one API
  // process per core plus a worker process.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...isolatedRedisKeys(),
    WEB_CONCURRENCY: '1',
    // A worker's metrics server only where a test asks for one: parallel files would share 9464.
    METRICS_PORT: '0',
    ...overrides,
  }
  delete env.NODE_TEST_CONTEXT
  // Children would share the server's default stream and durable consumers across databases:
  // a test that wants JetStream passes NATS_URL itself.
  if (!('NATS_URL' in overrides)) delete env.NATS_URL
  return env
}

/**
 * With DATABASE_URL set, a throwaway server-side database for a child process (the helper's
 * `openTestDatabase` keeps its URL to itself); undefined on PGlite. `migrated` starts it as a copy
 * of the migrated template, so the child's own migrate step finds nothing to do.
 */
export async function throwawayDatabaseUrl(
  options: { migrated?: boolean } = {},
): Promise<ThrowawayDatabase | undefined> {
  const base = process.env.DATABASE_URL
  if (!base) return undefined
  return throwawayPostgres(base, { migrated: options.migrated ?? false })
}

/** Asserts an RFC 9457 problem reply and returns its body. */
export function problem(
  res: LightMyRequestResponse,
  status: number,
  code: string,
): Record<string, unknown> {
  assert.equal(res.statusCode, status, res.body)
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/)
  const body = res.json() as Record<string, unknown>
  assert.equal(body.status, status)
  assert.equal(body.code, code)
  assert.equal(body.type, `urn:emporium:problem:${code}`)
  assert.equal(typeof body.title, 'string')
  assert.equal(body.requestId, res.headers['x-request-id'])
  return body
}
