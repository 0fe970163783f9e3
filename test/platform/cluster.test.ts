import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import pg from 'pg'
import { productBody } from '../helpers/catalog.js'
import { engine } from '../helpers/context.js'
import { spawnRole, type RoleProcess } from '../helpers/process.js'
import { eventually, freePort, throwawayDatabaseUrl } from './support.js'

const ADMIN = { email: 'cluster-admin@example.test', password: 'correct horse battery staple 9' }
const AUTH_QUOTA = 8
const cleanups: (() => Promise<void> | void)[] = []
after(async () => {
  for (const c of cleanups.reverse()) await c()
})

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Record<string, unknown>
}

/** One request on a connection of its own, so the cluster's round robin spreads them. */
function call(port: number, method: string, url: string, body?: object, headers = {}) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent: false,
        headers: { connection: 'close', 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => (text += chunk.toString()))
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: JSON.parse(text || '{}'),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(body ? JSON.stringify(body) : undefined)
  })
}

/** The pid that wrote the request log line of this reply (cluster children log their pid). */
function servedBy(server: RoleProcess, reply: Reply): number | undefined {
  const line = server.lines.find(
    (l) => l.msg === 'request' && l.requestId === reply.headers['x-request-id'],
  )
  return line?.pid as number | undefined
}

/** Processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after its ")".
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid
      } catch {
        return false
      }
    })
    .map(Number)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function startCompiled(env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'emporium-cluster-'))
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
  const port = await freePort()
  const server = await spawnRole(
    'start',
    { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', WEB_CONCURRENCY: '2', ...env },
    { compiled: true },
  )
  cleanups.push(() => void (server.child.exitCode === null && server.child.kill('SIGKILL')))
  return { server, port }
}

/** Reads `url` on fresh connections until both API processes answered; returns the replies. */
async function readFromBoth(server: RoleProcess, port: number, url: string) {
  const replies: Reply[] = []
  await eventually(
    async () => {
      replies.push(await call(port, 'GET', url))
      await eventually(() => servedBy(server, replies.at(-1)!), { what: 'the request log line' })
      return new Set(replies.map((r) => servedBy(server, r))).size >= 2
    },
    { timeoutMs: 20_000, intervalMs: 0, what: 'replies from two API processes' },
  )
  return replies
}

test('PostgreSQL: WEB_CONCURRENCY=2 runs two API processes and a worker; caches, limits and signals hold across them', async (t) => {
  if (engine !== 'postgres') return t.diagnostic('PostgreSQL only: the PGlite case is below')
  const database = (await throwawayDatabaseUrl())!
  cleanups.push(database.drop)
  const { server, port } = await startCompiled({
    DATABASE_URL: database.url,
    // No Redis: the generation and the counters must travel through the cluster itself.
    REDIS_URL: '',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_AUTH: `${AUTH_QUOTA}/60`,
  })
  const login = await call(port, 'POST', '/v1/auth/login', ADMIN)
  assert.equal(login.status, 200)
  const auth = { authorization: `Bearer ${String(login.body.accessToken)}` }
  const created = await call(port, 'POST', '/v1/admin/products', productBody(), auth)
  assert.equal(created.status, 201)
  const id = String(created.body.id)

  // Both API processes cache the product; pids are theirs, not the primary's.
  const warm = await readFromBoth(server, port, `/v1/products/${id}`)
  const pids = new Set(warm.map((r) => servedBy(server, r)!))
  assert.equal(pids.size, 2)
  assert.ok(!pids.has(server.child.pid!), 'the primary serves no request')
  await readFromBoth(server, port, `/v1/products/${id}`)

  // A write through one process: no process serves the old title afterwards, cached or not.
  const patched = await call(port, 'PATCH', `/v1/admin/products/${id}`, { title: 'Renamed' }, auth)
  assert.equal(patched.status, 200)
  const after = await readFromBoth(server, port, `/v1/products/${id}`)
  for (const reply of after)
    assert.equal(reply.body.title, 'Renamed', `pid ${servedBy(server, reply)}`)

  // The worker process relays the outbox (the API processes run no relay).
  const db = new pg.Client({ connectionString: database.url })
  await db.connect()
  await eventually(
    async () => {
      const { rows } = await db.query(
        'select count(*)::int as n from platform.outbox where published_at is null',
      )
      return rows[0].n === 0
    },
    { what: 'the worker to publish every event' },
  )
  await db.end()
  assert.ok(server.logged(/^worker ready$/))

  // One auth quota for the cluster: 8 requests in all (the admin login was the first).
  const attempts = await Promise.all(
    Array.from({ length: 2 * AUTH_QUOTA }, (_, i) =>
      call(port, 'POST', '/v1/auth/login', {
        email: `nobody-${i}@example.test`,
        password: 'not the password 1',
      }),
    ),
  )
  const counted = attempts.filter((a) => a.status !== 429)
  assert.equal(counted.length, AUTH_QUOTA - 1, attempts.map((a) => a.status).join(' '))

  // SIGTERM on the primary stops every process, gracefully.
  const all = [...childrenOf(server.child.pid!)]
  assert.equal(all.length, 3, 'two API processes and a worker process')
  server.child.kill('SIGTERM')
  assert.deepEqual(await server.exited, { code: 0, signal: null })
  for (const pid of all) assert.equal(alive(pid), false, `pid ${pid} is gone`)
  assert.equal(server.lines.filter((l) => l.msg === 'stopped').length, 4)
})

test('PGlite: WEB_CONCURRENCY=2 stays one process and says so', async (t) => {
  if (engine !== 'pglite') return t.diagnostic('PGlite only: the PostgreSQL case is above')
  const { server, port } = await startCompiled({ DATABASE_URL: '' })
  assert.ok(server.logged(/^WEB_CONCURRENCY has no effect on the embedded database/))
  assert.deepEqual(childrenOf(server.child.pid!), [])
  for (let i = 0; i < 4; i++) {
    const reply = await call(port, 'GET', '/v1/products?limit=1')
    assert.equal(reply.status, 200)
  }
  assert.deepEqual(childrenOf(server.child.pid!), [])
  server.child.kill('SIGTERM')
  assert.deepEqual(await server.exited, { code: 0, signal: null })
})
