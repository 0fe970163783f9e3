// The checkout scenario's parts: per virtual user, create a guest cart, add an item, check out
// with `tok_visa`; the store it runs against, a webhook endpoint, the outbox lag, and pgbench's
// TPC-B rate it is judged by. bench/checkout-matrix.ts runs it per engine and client count.
import { execFile } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import autocannon from 'autocannon'
import pg from 'pg'
import { createThrowawayDatabase } from './postgres.js'

const run = promisify(execFile)
export const ADMIN = {
  email: 'bench-admin@example.test',
  password: 'bench password for checkout 1',
}
const VARIANTS = 50
/** Units per bench variant at the start: enough that no run sells one out. */
export const INITIAL_STOCK = 1_000_000

export interface CheckoutLoad {
  /** Checkout flows run at once (autocannon connections). */
  clients: number
  ordersPerSecond: number
  /** Latency of the checkout request itself (the third of each flow), in ms. */
  p50: number
  p99: number
  orders: number
  failures: number
  failureDetail: string
  /** Commit → received by a local webhook endpoint subscribed to `order.paid` (ms). */
  webhookLag: { p50: number; p99: number; delivered: number; expected: number }
  /** When the measured run began (after the warm-up). */
  since: Date
}

export interface Lag {
  p50: number
  p99: number
  events: number
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>

/**
 * A local webhook endpoint: answers 204 and records each first delivery's event time and lag
 * behind it (the warm-up's late deliveries are told apart by their event time).
 */
export async function startReceiver() {
  const lags: { at: number; lag: number }[] = []
  const ids = new Set<string>()
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const id = String(req.headers['webhook-id'])
      if (!ids.has(id)) {
        ids.add(id)
        const at = Date.parse((JSON.parse(body) as { timestamp: string }).timestamp)
        lags.push({ at, lag: Date.now() - at })
      }
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    lags,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Percentiles of commit → published over the outbox rows written since `since`. */
export async function outboxLag(databaseUrl: string, since: Date): Promise<Lag> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ p50: number; p99: number; n: string }>(
      `select percentile_cont(0.5) within group (order by lag) as p50,
              percentile_cont(0.99) within group (order by lag) as p99, count(*) as n
         from (select extract(epoch from published_at - occurred_at) * 1000 as lag
                 from platform.outbox where occurred_at >= $1 and published_at is not null) l`,
      [since],
    )
    return {
      p50: Number(rows[0]?.p50 ?? 0),
      p99: Number(rows[0]?.p99 ?? 0),
      events: Number(rows[0]?.n ?? 0),
    }
  } finally {
    await client.end()
  }
}

/**
 * pgbench's TPC-B rate at each client count, `durationS` seconds each, on one fresh database
 * (scale 10) of the server the bench uses; runs while no Emporium server is up.
 */
export async function pgbenchTps(
  clientCounts: number[],
  durationS: number,
): Promise<{ clients: number; tps: number }[]> {
  const database = await createThrowawayDatabase()
  try {
    await run('pgbench', ['-i', '-q', '-s', '10', database.url])
    const out: { clients: number; tps: number }[] = []
    for (const clients of clientCounts) {
      const threads = String(Math.min(2, clients))
      const args = ['-c', String(clients), '-j', threads, '-T', String(durationS), database.url]
      const { stdout } = await run('pgbench', args)
      const tps = /tps = ([\d.]+)/.exec(stdout)?.[1]
      if (!tps) throw new Error(`pgbench printed no tps: ${stdout}`)
      out.push({ clients, tps: Number(tps) })
    }
    return out
  } finally {
    await database.drop()
  }
}

export async function call(base: string, method: string, url: string, body?: object, headers = {}) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as Record<string, unknown>
}

/**
 * Products with stock that will not run out during the run, spread over many variants, and a
 * webhook endpoint for `order.paid` at `hookUrl`.
 */
export async function setupStore(base: string, hookUrl: string): Promise<string[]> {
  const login = await call(base, 'POST', '/v1/auth/login', ADMIN)
  const auth = { authorization: `Bearer ${String(login.accessToken)}` }
  await call(
    base,
    'POST',
    '/v1/admin/webhook-endpoints',
    { url: hookUrl, events: ['order.paid'] },
    auth,
  )
  const ids: string[] = []
  for (let i = 0; i < VARIANTS; i++) {
    const product = await call(
      base,
      'POST',
      '/v1/admin/products',
      {
        title: `Bench product ${i}`,
        description: 'Checkout bench',
        status: 'published',
        variants: [
          {
            sku: `BENCH-${i}`,
            price: { amount: 1999 + i, currency: 'EUR' },
            onHand: INITIAL_STOCK,
          },
        ],
      },
      auth,
    )
    ids.push((product.variants as { id: string }[])[0]!.id)
  }
  return ids
}

interface FlowContext {
  cartId?: string
  token?: string
  startedAt?: number
}

function flow(base: string, variants: string[], latencies: number[], counts: { orders: number }) {
  const checkoutBody = JSON.stringify({
    email: 'bench@example.test',
    shippingAddress: {
      name: 'Bench',
      line1: '1 Load St',
      city: 'Berlin',
      postalCode: '10115',
      country: 'DE',
    },
    payment: { method: 'card', token: 'tok_visa' },
  })
  const json = { 'content-type': 'application/json' }
  return {
    url: base,
    requests: [
      {
        method: 'POST' as const,
        path: '/v1/carts',
        headers: json,
        body: '{"currency":"EUR"}',
        onResponse: (_status: number, body: string, context: FlowContext) => {
          const cart = JSON.parse(body) as { id: string; token: string }
          context.cartId = cart.id
          context.token = cart.token
        },
      },
      {
        method: 'POST' as const,
        setupRequest: (req: autocannon.Request, context: FlowContext) => ({
          ...req,
          path: `/v1/carts/${context.cartId}/items`,
          headers: { ...json, 'x-cart-token': context.token! },
          body: JSON.stringify({
            variantId: variants[Math.floor(Math.random() * variants.length)],
            quantity: 1,
          }),
        }),
      },
      {
        method: 'POST' as const,
        setupRequest: (req: autocannon.Request, context: FlowContext) => {
          context.startedAt = performance.now()
          return {
            ...req,
            path: `/v1/carts/${context.cartId}/checkout`,
            headers: { ...json, 'x-cart-token': context.token! },
            body: checkoutBody,
          }
        },
        onResponse: (status: number, _body: string, context: FlowContext) => {
          latencies.push(performance.now() - context.startedAt!)
          if (status === 201) counts.orders++
        },
      },
    ],
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

function fire(
  base: string,
  variants: string[],
  connections: number,
  durationS: number,
  latencies: number[],
  counts: { orders: number },
) {
  return new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(
      { ...flow(base, variants, latencies, counts), connections, duration: durationS, timeout: 10 },
      (error, result) => (error ? reject(error as Error) : resolve(result)),
    ),
  )
}

/**
 * One checkout run against a prepared store: a warm-up that is thrown away, the measured run,
 * then (bounded) the webhook deliveries of the run's orders that were still in flight.
 */
export async function checkoutLoad(
  base: string,
  variants: string[],
  receiver: Receiver,
  settings: { clients: number; durationS: number; warmupS: number },
): Promise<CheckoutLoad> {
  const { clients, durationS, warmupS } = settings
  if (warmupS > 0) await fire(base, variants, clients, warmupS, [], { orders: 0 })
  const latencies: number[] = []
  const counts = { orders: 0 }
  receiver.lags.length = 0
  const since = new Date()
  const result = await fire(base, variants, clients, durationS, latencies, counts)
  const deadline = Date.now() + 30_000
  const measured = () => receiver.lags.filter((l) => l.at >= since.getTime())
  while (measured().length < counts.orders && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 200))
  const lags = measured()
    .map((l) => l.lag)
    .sort((a, b) => a - b)
  latencies.sort((a, b) => a - b)
  return {
    clients,
    ordersPerSecond: counts.orders / durationS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    orders: counts.orders,
    failures: result.non2xx + result.errors,
    failureDetail: `non-2xx: ${result.non2xx}, errors: ${result.errors}`,
    webhookLag: {
      p50: percentile(lags, 50),
      p99: percentile(lags, 99),
      delivered: lags.length,
      expected: counts.orders,
    },
    since,
  }
}
