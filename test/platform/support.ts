import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { LightMyRequestResponse } from 'fastify'
import pg from 'pg'
import { isolatedRedisKeys } from '../helpers/context.js'

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
  const env: NodeJS.ProcessEnv = { ...process.env, ...isolatedRedisKeys(), ...overrides }
  delete env.NODE_TEST_CONTEXT
  // Children would share the server's default stream and durable consumers across databases:
  // a test that wants JetStream passes NATS_URL itself.
  if (!('NATS_URL' in overrides)) delete env.NATS_URL
  return env
}

/**
 * With DATABASE_URL set, a throwaway server-side database for a child process (the helper's
 * `openTestDatabase` keeps its URL to itself); undefined on PGlite.
 */
export async function throwawayDatabaseUrl(): Promise<
  { url: string; drop: () => Promise<void> } | undefined
> {
  const base = process.env.DATABASE_URL
  if (!base) return undefined
  const name = `emporium_test_${randomBytes(6).toString('hex')}`
  const admin = new URL(base)
  admin.pathname = '/postgres'
  const run = async (text: string) => {
    const client = new pg.Client({ connectionString: admin.toString() })
    await client.connect()
    try {
      await client.query(text)
    } finally {
      await client.end()
    }
  }
  await run(`create database ${name}`)
  const url = new URL(base)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) }
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
