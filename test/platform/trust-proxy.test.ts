import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { describe, test } from 'node:test'
import { createTestContext, engine } from '../helpers/context.js'
import { newCredentials } from '../auth/support.js'

/**
 * Over a real socket from 127.0.0.1: registers, signs in with `X-Forwarded-For: forwarded` and
 * returns the address the session recorded (the request's `ip`).
 */
async function recordedIp(trustProxy: string, forwarded: string): Promise<string | null> {
  const ctx = await createTestContext({ TRUST_PROXY: trustProxy })
  try {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = ctx.app.server.address() as AddressInfo
    const base = `http://127.0.0.1:${port}`
    const credentials = newCredentials('proxy')
    const json = { 'content-type': 'application/json' }
    const registered = await fetch(`${base}/v1/auth/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(credentials),
    })
    assert.equal(registered.status, 201)
    const login = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { ...json, 'x-forwarded-for': forwarded },
      body: JSON.stringify({ email: credentials.email, password: credentials.password }),
    })
    assert.equal(login.status, 200)
    const { accessToken } = (await login.json()) as { accessToken: string }
    const sessions = await fetch(`${base}/v1/me/sessions`, {
      headers: { authorization: `Bearer ${accessToken}` },
    })
    assert.equal(sessions.status, 200)
    const { data } = (await sessions.json()) as { data: { ip: string | null }[] }
    assert.equal(data.length, 1)
    return data[0]!.ip
  } finally {
    await ctx.close()
  }
}

describe(`TRUST_PROXY through real requests (${engine})`, () => {
  test('a listed proxy address: the client address comes from X-Forwarded-For', async () => {
    assert.equal(await recordedIp('127.0.0.1', '203.0.113.7'), '203.0.113.7')
  })

  test('only the hops through listed proxies count', async () => {
    // 198.51.100.9 is not a listed proxy: it is the client, whatever it claims before it.
    assert.equal(await recordedIp('127.0.0.1', '192.0.2.1, 198.51.100.9'), '198.51.100.9')
  })

  test('a CIDR the sender is not in: the header is ignored', async () => {
    assert.equal(await recordedIp('10.0.0.0/8', '203.0.113.7'), '127.0.0.1')
  })

  test('off by default: the header is ignored', async () => {
    assert.equal(await recordedIp('false', '203.0.113.7'), '127.0.0.1')
  })

  test('a hop count: that many senders nearest the server are proxies', async () => {
    // One hop: the socket peer (127.0.0.1) is the proxy; the client is the last forwarded entry.
    assert.equal(await recordedIp('1', '192.0.2.1, 203.0.113.7'), '203.0.113.7')
    // Two hops: 203.0.113.7 is the second proxy, whatever the client put before it is believed.
    assert.equal(await recordedIp('2', '192.0.2.1, 203.0.113.7'), '192.0.2.1')
  })

  test('true (development only) trusts any sender: the spoofable setting production refuses', async () => {
    assert.equal(await recordedIp('true', '192.0.2.1, 203.0.113.7'), '192.0.2.1')
  })
})
