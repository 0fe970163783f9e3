// The checkout scenario at each client count on each engine: PostgreSQL with every core (the
// default cluster) and one process for comparison, PGlite (always one process); then pgbench's
// TPC-B at the same client counts on the same server. Each row is followed by a stock check.
import {
  outboxLag,
  pgbenchTps,
  setupStore,
  startReceiver,
  checkoutLoad,
  ADMIN,
} from './checkout.js'
import type { CheckoutLoad, Lag, Receiver } from './checkout.js'
import { sampleMemory, type MemorySample } from './load.js'
import { createThrowawayDatabase } from './postgres.js'
import type { Engine } from './report.js'
import { startEmporium, type Child } from './servers.js'
import { checkStock, type StockCheck } from './stock-check.js'

/** `default`: WEB_CONCURRENCY unset, one API process per core plus a worker (PostgreSQL). */
export type Concurrency = 'default' | 1

export interface CheckoutRow extends CheckoutLoad {
  engine: Engine
  concurrency: Concurrency
  /** The server's process tree (sampled every 100 ms) during warm-up and measured run. */
  memory: MemorySample
  /** The books after the row (cumulative over the server's earlier rows). */
  stock: StockCheck
  /** Commit → published for the row's events; PostgreSQL only (read with SQL). */
  outboxLag?: Lag
}

export interface CheckoutMatrix {
  rows: CheckoutRow[]
  pgbench: { clients: number; tps: number }[]
}

export interface MatrixOptions {
  engines: Engine[]
  clients: number[]
  durationS: number
  warmupS: number
  tempDir: (prefix: string) => string
  track: (child: Child) => () => Promise<void>
  log: (message: string) => void
}

interface Variant {
  engine: Engine
  concurrency: Concurrency
  clients: number[]
}

/** The rows to run; the one-process PostgreSQL row runs at 10 clients (or the first count). */
export function checkoutVariants(engines: Engine[], clients: number[]): Variant[] {
  const variants: Variant[] = []
  if (engines.includes('postgres')) {
    variants.push({ engine: 'postgres', concurrency: 'default', clients })
    const one = clients.includes(10) ? 10 : clients[0]
    if (one !== undefined) variants.push({ engine: 'postgres', concurrency: 1, clients: [one] })
  }
  if (engines.includes('pglite'))
    variants.push({ engine: 'pglite', concurrency: 'default', clients })
  return variants
}

export const variantLabel = (engine: Engine, concurrency: Concurrency) =>
  engine === 'pglite' ? 'pglite' : concurrency === 1 ? 'postgres, 1 process' : 'postgres'

/** Starts a store for one variant, runs its client counts in ascending order, stops it. */
async function runVariant(
  variant: Variant,
  options: MatrixOptions,
  receiver: Receiver,
): Promise<CheckoutRow[]> {
  const database = variant.engine === 'postgres' ? await createThrowawayDatabase() : undefined
  try {
    const app = await startEmporium({
      dataDir: options.tempDir('emporium-bench-checkout-'),
      ...(database ? { databaseUrl: database.url } : {}),
      logLevel: 'warn',
      env: {
        SEED_DEMO: 'false',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        // Empty: the default, every core (no effect on PGlite).
        WEB_CONCURRENCY: variant.concurrency === 1 ? '1' : '',
      },
    })
    const stop = options.track(app.child)
    const base = `http://127.0.0.1:${app.child.port}`
    const variants = await setupStore(base, receiver.url)
    const rows: CheckoutRow[] = []
    for (const clients of [...variant.clients].sort((a, b) => a - b)) {
      const label = variantLabel(variant.engine, variant.concurrency)
      options.log(`checkout on ${label}, ${clients} client${clients === 1 ? '' : 's'}`)
      const sampler = sampleMemory(app.child.pid)
      const settings = { clients, durationS: options.durationS, warmupS: options.warmupS }
      const load = await checkoutLoad(base, variants, receiver, settings)
      const memory = sampler.stop()
      const stock = await checkStock(base, variants)
      const lag = database ? { outboxLag: await outboxLag(database.url, load.since) } : {}
      rows.push({
        ...load,
        engine: variant.engine,
        concurrency: variant.concurrency,
        memory,
        stock,
        ...lag,
      })
    }
    await stop()
    return rows
  } finally {
    await database?.drop()
  }
}

export async function checkoutMatrix(options: MatrixOptions): Promise<CheckoutMatrix> {
  const receiver = await startReceiver()
  const rows: CheckoutRow[] = []
  try {
    for (const variant of checkoutVariants(options.engines, options.clients)) {
      rows.push(...(await runVariant(variant, options, receiver)))
    }
  } finally {
    await receiver.close()
  }
  let pgbench: CheckoutMatrix['pgbench'] = []
  if (options.engines.includes('postgres')) {
    options.log(`pgbench TPC-B at ${options.clients.join(', ')} clients`)
    pgbench = await pgbenchTps(options.clients, options.durationS)
  }
  return { rows, pgbench }
}
