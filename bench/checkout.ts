// The checkout scenario: per virtual user, create a guest cart, add an item, check out with
// `tok_visa`, on PostgreSQL; judged against pgbench's TPC-B rate on the same server, same run.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import autocannon from 'autocannon'
import { createThrowawayDatabase } from './postgres.js'
import type { Child } from './servers.js'
import { startEmporium } from './servers.js'

const run = promisify(execFile)
const ADMIN = { email: 'bench-admin@example.test', password: 'bench password for checkout 1' }
const VARIANTS = 50

export interface CheckoutResult {
  /** Checkout flows run at once (autocannon connections). */
  connections: number
  ordersPerSecond: number
  /** Latency of the checkout request itself (the third of each flow), in ms. */
  p50: number
  p99: number
  orders: number
  failures: number
  failureDetail: string
  pgbenchTps: number
  pgbenchClients: number
}

/** pgbench's TPC-B rate: scale 10, `clients` clients, for `durationS` seconds. */
async function pgbenchTps(clients: number, durationS: number): Promise<number> {
  const database = await createThrowawayDatabase()
  try {
    await run('pgbench', ['-i', '-q', '-s', '10', database.url])
    const { stdout } = await run('pgbench', [
      '-c',
      String(clients),
      '-j',
      '2',
      '-T',
      String(durationS),
      database.url,
    ])
    const tps = /tps = ([\d.]+)/.exec(stdout)?.[1]
    if (!tps) throw new Error(`pgbench printed no tps: ${stdout}`)
    return Number(tps)
  } finally {
    await database.drop()
  }
}

async function call(base: string, method: string, url: string, body?: object, headers = {}) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as Record<string, unknown>
}

/** Products with stock that will not run out during the run, spread over many variants. */
async function stockVariants(base: string): Promise<string[]> {
  const login = await call(base, 'POST', '/v1/auth/login', ADMIN)
  const auth = { authorization: `Bearer ${String(login.accessToken)}` }
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
          { sku: `BENCH-${i}`, price: { amount: 1999 + i, currency: 'EUR' }, onHand: 1_000_000 },
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

/** Runs the scenario; `track` registers the server so a failed run still stops it. */
export async function checkoutScenario(
  settings: { connections: number; durationS: number; warmupS: number },
  dataDir: string,
  track: (child: Child) => () => Promise<void>,
): Promise<CheckoutResult> {
  const database = await createThrowawayDatabase()
  try {
    const app = await startEmporium({
      dataDir,
      databaseUrl: database.url,
      logLevel: 'warn',
      env: { SEED_DEMO: 'false', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    })
    const stop = track(app.child)
    const base = `http://127.0.0.1:${app.child.port}`
    const variants = await stockVariants(base)
    const fire = (durationS: number, latencies: number[], counts: { orders: number }) =>
      new Promise<autocannon.Result>((resolve, reject) =>
        autocannon(
          {
            ...flow(base, variants, latencies, counts),
            connections: settings.connections,
            duration: durationS,
            timeout: 10,
          },
          (error, result) => (error ? reject(error as Error) : resolve(result)),
        ),
      )
    if (settings.warmupS > 0) await fire(settings.warmupS, [], { orders: 0 })
    const latencies: number[] = []
    const counts = { orders: 0 }
    const result = await fire(settings.durationS, latencies, counts)
    await stop()
    latencies.sort((a, b) => a - b)
    const pgbenchClients = settings.connections
    return {
      connections: settings.connections,
      ordersPerSecond: counts.orders / settings.durationS,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      orders: counts.orders,
      failures: result.non2xx + result.errors,
      failureDetail: `non-2xx: ${result.non2xx}, errors: ${result.errors}`,
      pgbenchTps: await pgbenchTps(pgbenchClients, settings.durationS),
      pgbenchClients,
    }
  } finally {
    await database.drop()
  }
}
