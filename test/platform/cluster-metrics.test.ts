import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import pg from 'pg'
import { AggregatorRegistry } from 'prom-client'
import { createMetrics } from '../../src/platform/telemetry/metrics.js'
import { engine } from '../helpers/context.js'
import { spawnRole } from '../helpers/process.js'
import { matching, parseExposition, valueOf } from '../helpers/prometheus.js'
import { freePort, throwawayDatabaseUrl } from './support.js'

const TOKEN = 'cluster-scrape-token-0123456789'
const REQUESTS = 20
const cleanups: (() => Promise<void> | void)[] = []
after(async () => {
  for (const c of cleanups.reverse()) await c()
})

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

/** One GET on a connection of its own, so the cluster's round robin spreads them. */
function get(port: number, url: string, headers: Record<string, string> = {}) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: url,
        agent: false,
        headers: { connection: 'close', ...headers },
      },
      (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => (text += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }))
      },
    )
    req.on('error', reject)
    req.end()
  })
}

test('the aggregate sums counters and histograms and takes the max of store-wide gauges', async () => {
  // Two processes' registries, as the primary receives them over IPC.
  const children = [createMetrics(), createMetrics()]
  for (const [i, metrics] of children.entries()) {
    metrics.httpRequestDuration.observe(
      { method: 'GET', route: '/v1/products', status_code: '200' },
      0.01,
    )
    metrics.checkouts.inc({ outcome: 'paid' }, i + 1)
    metrics.outboxPending.set(5)
    metrics.outboxLagSeconds.set(10 + i)
    metrics.webhookEndpointsDisabled.set(1)
    metrics.jobQueueDepth.set({ queue: 'webhooks.deliver' }, 3)
    metrics.dbPoolConnections.set({ state: 'total' }, 4)
  }
  const json = await Promise.all(children.map((m) => m.registry.getMetricsAsJSON()))
  const samples = parseExposition(await AggregatorRegistry.aggregate(json).metrics())
  const http = { route: '/v1/products', method: 'GET', status_code: '200' }
  assert.equal(valueOf(samples, 'http_request_duration_seconds_count', http), 2)
  assert.equal(valueOf(samples, 'http_request_duration_seconds_bucket', { ...http, le: '+Inf' }), 2)
  assert.equal(valueOf(samples, 'emporium_checkouts_total', { outcome: 'paid' }), 3)
  assert.equal(valueOf(samples, 'emporium_outbox_pending'), 5, 'store-wide: not doubled')
  assert.equal(valueOf(samples, 'emporium_outbox_lag_seconds'), 11, 'the oldest')
  assert.equal(valueOf(samples, 'emporium_webhook_endpoints_disabled'), 1)
  assert.equal(valueOf(samples, 'emporium_job_queue_depth', { queue: 'webhooks.deliver' }), 3)
  assert.equal(
    valueOf(samples, 'emporium_db_pool_connections', { state: 'total' }),
    8,
    'one pool each',
  )
  // prom-client's own choices for its default metrics.
  assert.equal(matching(samples, 'process_start_time_seconds').length, 0, 'omitted')
  assert.equal(matching(samples, 'nodejs_version_info').length, 1, 'the first')
  assert.equal(matching(samples, 'process_resident_memory_bytes').length, 1, 'summed')
})

test('PostgreSQL: a serve cluster`s primary serves its children`s aggregate on METRICS_PORT', async (t) => {
  if (engine !== 'postgres') return t.diagnostic('PostgreSQL only: PGlite runs no cluster')
  const database = (await throwawayDatabaseUrl({ migrated: true }))!
  cleanups.push(database.drop)
  const dataDir = mkdtempSync(path.join(tmpdir(), 'emporium-cluster-metrics-'))
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
  // `serve` runs no relay: the outbox rows stay pending while the test reads them.
  const db = new pg.Client({ connectionString: database.url })
  await db.connect()
  cleanups.push(() => db.end())
  for (let i = 0; i < 3; i++) {
    await db.query(
      `insert into platform.outbox (id, type, aggregate_type, aggregate_id, payload)
       values ($1, 'test.happened', 'test', $1, '{}')`,
      [randomUUID()],
    )
  }
  const [port, metricsPort] = [await freePort(), await freePort()]
  const server = await spawnRole(
    'serve',
    {
      DATABASE_URL: database.url,
      REDIS_URL: '',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      WEB_CONCURRENCY: '2',
      METRICS_PORT: String(metricsPort),
      METRICS_TOKEN: TOKEN,
    },
    { compiled: true },
  )
  cleanups.push(() => void (server.child.exitCode === null && server.child.kill('SIGKILL')))

  const replies: Reply[] = []
  for (let i = 0; i < REQUESTS; i++) replies.push(await get(port, '/v1/products?limit=1'))
  for (const reply of replies) assert.equal(reply.status, 200, reply.text)
  const ids = new Set(replies.map((r) => r.headers['x-request-id']))
  const pids = new Set(
    server.lines
      .filter((l) => l.msg === 'request' && ids.has(l.requestId as string))
      .map((l) => l.pid),
  )
  assert.equal(pids.size, 2, 'both API processes served some of the requests')

  const base = `http://127.0.0.1:${metricsPort}`
  assert.equal((await get(metricsPort, '/livez')).status, 200)
  const refused = await get(metricsPort, '/metrics')
  assert.equal(refused.status, 401)
  assert.equal((JSON.parse(refused.text) as { code: string }).code, 'unauthenticated')
  assert.equal(
    (await get(metricsPort, '/metrics', { authorization: 'Bearer wrong-token-0123456789' })).status,
    401,
  )
  const scraped = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  assert.equal(scraped.status, 200)
  assert.match(String(scraped.headers.get('content-type')), /^text\/plain; version=0\.0\.4/)
  const samples = parseExposition(await scraped.text())
  const http = { method: 'GET', route: '/v1/products', status_code: '200' }
  assert.equal(valueOf(samples, 'http_request_duration_seconds_count', http), REQUESTS)
  const pending = matching(samples, 'emporium_outbox_pending')
  const { rows } = await db.query(
    'select count(*)::int as n from platform.outbox where published_at is null',
  )
  assert.equal(pending.length, 1)
  assert.equal(pending[0]!.value, rows[0].n, 'the store-wide count, not one per process')
  assert.equal(rows[0].n, 3)

  // One API process's own /metrics counts only the requests it served.
  const own = await get(port, '/metrics', { authorization: `Bearer ${TOKEN}` })
  assert.equal(own.status, 200)
  const ownCount = valueOf(parseExposition(own.text), 'http_request_duration_seconds_count', http)!
  assert.ok(ownCount > 0 && ownCount < REQUESTS, `one process counted ${ownCount}`)

  server.child.kill('SIGTERM')
  assert.deepEqual(await server.exited, { code: 0, signal: null })
  await assert.rejects(fetch(`${base}/livez`), 'closed with the primary')
})

test('PostgreSQL: in a start cluster the worker process answers the primary and leaves METRICS_PORT to it', async (t) => {
  if (engine !== 'postgres') return t.diagnostic('PostgreSQL only: PGlite runs no cluster')
  const database = (await throwawayDatabaseUrl({ migrated: true }))!
  cleanups.push(database.drop)
  const dataDir = mkdtempSync(path.join(tmpdir(), 'emporium-cluster-metrics-'))
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
  const [port, metricsPort] = [await freePort(), await freePort()]
  // A worker process binding METRICS_PORT too would fail its start, and the cluster's with it.
  const server = await spawnRole(
    'start',
    {
      DATABASE_URL: database.url,
      REDIS_URL: '',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      WEB_CONCURRENCY: '2',
      METRICS_PORT: String(metricsPort),
    },
    { compiled: true },
  )
  cleanups.push(() => void (server.child.exitCode === null && server.child.kill('SIGKILL')))
  assert.ok(server.logged(/^worker ready$/))
  // All three children answer: a silent one would time the scrape out.
  const scraped = await get(metricsPort, '/metrics')
  assert.equal(scraped.status, 200, scraped.text)
  const samples = parseExposition(scraped.text)
  assert.equal(matching(samples, 'emporium_outbox_pending').length, 1)
  assert.ok(valueOf(samples, 'emporium_db_query_duration_seconds_count')! > 0)
  server.child.kill('SIGTERM')
  assert.deepEqual(await server.exited, { code: 0, signal: null })
})
