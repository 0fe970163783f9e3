import assert from 'node:assert/strict'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { engine } from '../helpers/context.js'
import { spawnRole } from '../helpers/process.js'
import { eventually, freePort, throwawayDatabaseUrl } from './support.js'

/** A login whose body is still arriving: the server has routed it and waits for the rest. */
function slowLogin(port: number) {
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/v1/auth/login',
    agent: false,
    headers: { 'content-type': 'application/json' },
  })
  const reply = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('error', reject)
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      res.on('error', reject)
    })
  })
  req.write('{"email": "nobody@example.test", ')
  return { reply, finish: () => void req.end('"password": "not the password"}') }
}

describe(`SIGTERM on a running server (${engine})`, () => {
  let dataDir: string
  let database: Awaited<ReturnType<typeof throwawayDatabaseUrl>>
  let child: ChildProcess | undefined

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'emporium-shutdown-'))
    database = await throwawayDatabaseUrl({ migrated: true })
  })
  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
    await database?.drop()
  })

  test('finishes requests in flight, logs "stopped" and exits 0', { timeout: 90_000 }, async () => {
    const port = await freePort()
    const started = await spawnRole(
      'start',
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ...(database ? { DATABASE_URL: database.url } : {}),
      },
      { timeoutMs: 60_000 },
    )
    const server = started.child
    child = server
    const { lines, exited } = started
    const has = started.logged

    const livez = await fetch(`http://127.0.0.1:${port}/livez`)
    assert.equal(livez.status, 200)

    const logins = Array.from({ length: 3 }, () => slowLogin(port))
    // A round trip on a later connection: by then the server has read the logins' headers.
    await fetch(`http://127.0.0.1:${port}/livez`)
    server.kill('SIGTERM')
    await eventually(() => has(/^shutting down/), { what: 'the drain to start' })
    // During the grace period the server still answers, but says it is not ready.
    const readyz = await fetch(`http://127.0.0.1:${port}/readyz`)
    assert.equal(readyz.status, 503)
    assert.equal(((await readyz.json()) as { code: string }).code, 'shutting_down')
    for (const login of logins) login.finish()
    const replies = await Promise.all(logins.map((l) => l.reply))
    const { code, signal } = await exited

    for (const reply of replies) {
      assert.equal(reply.status, 401, reply.body)
      assert.equal((JSON.parse(reply.body) as { code: string }).code, 'invalid_credentials')
    }
    assert.equal(signal, null)
    assert.equal(code, 0, `stderr: ${started.stderr()}`)
    const stopped = lines.findIndex((l) => l.msg === 'stopped')
    assert.ok(stopped > 0, 'the stop is logged')
    const served = lines.flatMap((l, i) => (l.route === '/v1/auth/login' ? [i] : []))
    assert.equal(served.length, 3)
    assert.ok(
      served.every((i) => i < stopped),
      'the in-flight requests finished before the stop',
    )
    assert.deepEqual(
      lines.filter((l) => Number(l.level) >= 50),
      [],
      'no error was logged',
    )
  })
})
