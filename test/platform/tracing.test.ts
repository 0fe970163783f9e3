import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { ProxyTracerProvider, trace } from '@opentelemetry/api'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { connect } from 'nats'
import { loadConfig } from '../../src/config.js'
import type { Database } from '../../src/platform/db/database.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import {
  flushTracing,
  startTracing,
  stopTracing,
  tracingEnabled,
  tracingRequested,
} from '../../src/platform/telemetry/tracing.js'
import { createRuntime, type Runtime } from '../../src/runtime.js'
import { ADDRESS, cartWith, stockedVariant } from '../checkout/support.js'
import { productBody } from '../helpers/catalog.js'
import {
  createTestContext,
  engine,
  isolatedRedisKeys,
  openTestDatabase,
  uniqueSuffix,
  type TestContext,
} from '../helpers/context.js'
import { tempDataDir } from '../helpers/mailbox.js'
import { startReceiver, type Receiver } from '../webhooks/support.js'
import { eventually } from './support.js'

const natsUrl = process.env.NATS_URL
const redisUrl = process.env.REDIS_URL

interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  attributes: Record<string, unknown>
}

/** OTLP/JSON ids are hex; base64 is accepted too. */
const hex = (id: string) =>
  /^[0-9a-f]+$/.test(id) ? id : Buffer.from(id, 'base64').toString('hex')

interface Collector {
  url: string
  spans: OtlpSpan[]
  close(): Promise<void>
}

/** A local OTLP/HTTP receiver: the spans POSTed (as JSON) to /v1/traces. */
async function startCollector(): Promise<Collector> {
  const spans: OtlpSpan[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[]
        }
        for (const span of body.resourceSpans.flatMap((r) =>
          r.scopeSpans.flatMap((s) => s.spans),
        )) {
          const attributes = Object.fromEntries(
            (span.attributes as { key: string; value: Record<string, unknown> }[]).map((a) => [
              a.key,
              Object.values(a.value)[0],
            ]),
          )
          spans.push({
            traceId: hex(span.traceId as string),
            spanId: hex(span.spanId as string),
            ...(span.parentSpanId ? { parentSpanId: hex(span.parentSpanId as string) } : {}),
            name: span.name as string,
            attributes,
          })
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

async function outboxTraceparents(database: Database): Promise<(string | null)[]> {
  const { rows } = await sql<{ traceparent: string | null }>`
    select traceparent from platform.outbox order by position`.execute(database.db)
  return rows.map((r) => r.traceparent)
}

// The first suite runs without any OTEL_* variable, whatever the runner's environment holds.
for (const name of Object.keys(process.env)) {
  if (name.startsWith('OTEL_')) Reflect.deleteProperty(process.env, name)
}

describe(`without OTEL_* variables (${engine})`, () => {
  let ctx: TestContext
  before(async () => {
    assert.equal(await startTracing(), false)
    ctx = await createTestContext()
  })
  after(() => ctx.close())

  test('no SDK is loaded: the API answers with its no-op tracer, outbox rows have no traceparent', async () => {
    assert.equal(tracingRequested(), false)
    assert.equal(tracingEnabled(), false)
    const provider = trace.getTracerProvider()
    assert.ok(provider instanceof ProxyTracerProvider)
    assert.equal(provider.getDelegate().constructor.name, 'NoopTracerProvider')
    assert.equal(trace.getTracer('x').startSpan('x').isRecording(), false)

    const staff = await ctx.tokenFor('staff')
    const callerTrace = randomBytes(16).toString('hex')
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/products',
      headers: {
        authorization: `Bearer ${staff}`,
        traceparent: `00-${callerTrace}-${randomBytes(8).toString('hex')}-01`,
      },
      payload: productBody(),
    })
    assert.equal(res.statusCode, 201, res.body)
    const stored = await outboxTraceparents(ctx.database)
    assert.ok(stored.length > 0)
    assert.deepEqual(new Set(stored), new Set([null]))
    // No span of ours: the request's lines carry the caller's trace id only.
    const line = ctx.logs.find((l) => l.msg === 'request' && l.route === '/v1/admin/products')
    assert.equal(line?.trace_id, callerTrace)
    assert.ok(ctx.logs.every((l) => !('span_id' in l)))
  })

  test('OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER=none win over an endpoint', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }
    assert.equal(tracingRequested(endpoint), true)
    assert.equal(
      tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://x/v1/traces' }),
      true,
    )
    assert.equal(tracingRequested({ ...endpoint, OTEL_SDK_DISABLED: 'true' }), false)
    assert.equal(tracingRequested({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }), false)
  })
})

const bus = natsUrl ? 'NATS JetStream' : 'the in-process bus'

describe(`with an OTLP endpoint (${engine}, ${bus})`, () => {
  const suffix = uniqueSuffix()
  const jetStream = { stream: `EMPORIUM_TEST_${suffix}`, subjectPrefix: `emporium.test.${suffix}` }
  const logs: Record<string, unknown>[] = []
  let collector: Collector
  let receiver: Receiver
  let runtime: Runtime
  let app: FastifyInstance
  let database: Database
  let drop: () => Promise<void>
  let dataDir: Awaited<ReturnType<typeof tempDataDir>>

  before(async () => {
    collector = await startCollector()
    receiver = await startReceiver()
    dataDir = await tempDataDir()
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = collector.url
    process.env.OTEL_BSP_SCHEDULE_DELAY = '50'
    process.env.OTEL_SERVICE_NAME = 'emporium-test'
    assert.equal(await startTracing(), true)
    const config = loadConfig({
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      RATE_LIMIT_ENABLED: 'false',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      PAYMENT_TEST_TIMEOUT_DELAY_MS: '0',
      DATA_DIR: dataDir.dir,
      ...isolatedRedisKeys(),
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      ...(natsUrl ? { NATS_URL: natsUrl } : {}),
    })
    const logger = createLogger('info', {
      write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>),
    })
    ;({ database, drop } = await openTestDatabase({ migrated: true }))
    runtime = createRuntime(config, logger, database, { jetStream })
    app = await runtime.buildApp()
    await app.ready()
    await runtime.jobs.start({ work: true })
    await runtime.bus.start()
    runtime.relay.start()
  })

  after(async () => {
    await app.close()
    await runtime.relay.stop()
    await runtime.jobs.stop(5000)
    await runtime.closeConnections()
    await database.close()
    await drop()
    await stopTracing()
    await collector.close()
    await receiver.close()
    await dataDir.cleanup()
    if (natsUrl) {
      const nc = await connect({ servers: natsUrl })
      await (await nc.jetstreamManager()).streams.delete(jetStream.stream).catch(() => false)
      await nc.close()
    }
  })

  test('a checkout, its SQL, its events and its webhook delivery are one trace', async () => {
    const shop = { app } as TestContext // the checkout helpers use only `app`
    const email = `staff-${suffix}@example.test`
    const password = `correct horse ${suffix}`
    await runtime.modules.auth.service.createUser({ email, password, name: 'S', role: 'admin' })
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password },
    })
    const staff = (login.json() as { accessToken: string }).accessToken
    const hook = await app.inject({
      method: 'POST',
      url: '/v1/admin/webhook-endpoints',
      headers: { authorization: `Bearer ${staff}` },
      payload: { url: receiver.url, events: ['order.paid'] },
    })
    assert.equal(hook.statusCode, 201, hook.body)
    const variantId = await stockedVariant(shop, staff, 5)
    const shopper = await cartWith(shop, [{ variantId, quantity: 1 }])

    // The caller's own trace: the server span continues it.
    const traceId = randomBytes(16).toString('hex')
    const callerSpan = randomBytes(8).toString('hex')
    const res = await shop.app.inject({
      method: 'POST',
      url: `/v1/carts/${shopper.cartId}/checkout`,
      headers: {
        'x-cart-token': shopper.cartToken!,
        traceparent: `00-${traceId}-${callerSpan}-01`,
      },
      payload: {
        email: 'ada@example.test',
        shippingAddress: ADDRESS,
        payment: { method: 'card', token: 'tok_visa' },
      },
    })
    assert.equal(res.statusCode, 201, res.body)

    const delivered = await eventually(
      () => receiver.received.find((r) => r.body.includes('"order.paid"')),
      { what: 'the order.paid webhook' },
    )
    const header = String(delivered.headers.traceparent)
    assert.match(header, new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`))

    const inTrace = await eventually(
      async () => {
        await flushTracing()
        const spans = collector.spans.filter((s) => s.traceId === traceId)
        return spans.some((s) => s.name === 'webhook deliver') && spans
      },
      { what: 'the webhook delivery span' },
    )
    const server = inTrace.find((s) => s.name === 'POST /v1/carts/:id/checkout')
    assert.ok(server, 'the checkout server span')
    assert.equal(server.parentSpanId, callerSpan)
    assert.equal(server.attributes['http.route'], '/v1/carts/:id/checkout')
    assert.equal(server.attributes['http.request.method'], 'POST')
    assert.equal(Number(server.attributes['http.response.status_code']), 201)
    const queries = inTrace.filter((s) => s.name === 'db.query')
    assert.ok(queries.length > 0, 'SQL spans')
    assert.ok(queries.every((q) => q.attributes['db.system'] === 'postgresql'))
    assert.ok(queries.some((q) => q.parentSpanId === server.spanId))
    assert.ok(queries.every((q) => q.attributes['emporium.db.engine'] === engine))
    assert.ok(inTrace.some((s) => s.name === 'event consume order.paid'))
    const delivery = inTrace.find((s) => s.name === 'webhook deliver')!
    assert.equal(header.split('-')[2], delivery.spanId, 'the header is the delivery span')

    const stored = await outboxTraceparents(database)
    assert.ok(stored.some((t) => t?.startsWith(`00-${traceId}-`)))
    const line = logs.find((l) => l.msg === 'request' && l.trace_id === traceId)
    assert.ok(line, 'the request log line carries the trace id')
    assert.equal(line.span_id, server.spanId)
  })
})
