// The offline quality of the recommendations: synthetic order histories (bench/recommendations-
// data.ts) split in time, the earlier 80 % counted by the module's own consumer on an embedded
// database, the later 20 % asked for 5 recommendations per product through the module's own
// read (scoring, catalog details, similar-products fill-up), against a popularity baseline.
// `npm run bench -- --only recommendations`, or alone: `npx tsx bench/recommendations-quality.ts`.
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/platform/db/database.js'
import type { DomainEvent } from '../src/platform/events/types.js'
import { createLogger } from '../src/platform/telemetry/logger.js'
import { createRuntime, migrateDatabase, type Runtime } from '../src/runtime.js'
import type { OrderLine } from '../src/modules/orders/index.js'
import { createRecommendationsService } from '../src/modules/recommendations/recommendations.service.js'
import { syntheticHistory, type SyntheticHistory } from './recommendations-data.js'

const K = 5

export interface QualityRow {
  method: string
  precision: number
  recall: number
  hitRate: number
}

export interface RecommendationsQuality {
  /** Where and when it ran: the quality figures do not depend on it, the timings do. */
  machine: { date: string; cpus: number; model: string; node: string }
  products: number
  categories: number
  trainOrders: number
  testOrders: number
  queries: number
  pairRows: number
  trainMs: number
  recommendMsMean: number
  rows: QualityRow[]
}

/** The catalog in the database: one product per synthetic product, in stock, its category set. */
async function loadCatalog(runtime: Runtime, history: SyntheticHistory): Promise<string[]> {
  const catalog = runtime.modules.catalog.service
  const categoryIds: string[] = []
  for (const name of history.categories)
    categoryIds.push((await catalog.categories.create({ name })).id)
  const created = await catalog.createProducts(
    history.products.map((p) => ({
      title: p.title,
      description: p.description,
      status: 'published' as const,
      categoryIds: [categoryIds[p.category]!],
      variants: [
        { sku: `QB-${p.key}`, price: { amount: 1000 + p.key, currency: 'EUR' }, onHand: 1000 },
      ],
    })),
  )
  return created.map((p) => p.id)
}

function lineOf(productId: string): OrderLine {
  return {
    variantId: `var_${productId}`,
    productId,
    sku: null,
    title: null,
    productTitle: null,
    quantity: 1,
    unitPrice: 1000,
    lineTotal: 1000,
  }
}

function score(
  method: string,
  queries: { product: string; others: Set<string> }[],
  recommend: (product: string) => string[],
): QualityRow {
  let precision = 0
  let recall = 0
  let hits = 0
  for (const q of queries) {
    const found = recommend(q.product).filter((id) => q.others.has(id)).length
    precision += found / K
    recall += found / q.others.size
    if (found > 0) hits++
  }
  const n = queries.length
  return { method, precision: precision / n, recall: recall / n, hitRate: hits / n }
}

export async function recommendationsQuality(
  options = { orders: 6000, seed: 7 },
): Promise<RecommendationsQuality> {
  const history = syntheticHistory({ ...options, exponent: 1.1, companions: 3 })
  const database = await openDatabase({ engine: 'pglite', dataDir: undefined })
  const logger = createLogger('warn')
  await migrateDatabase(database, logger)
  const runtime = createRuntime(
    loadConfig({ SEED_DEMO: 'false', LOG_LEVEL: 'warn' }),
    logger,
    database,
  )
  try {
    const ids = await loadCatalog(runtime, history)
    const orders = history.orders.map((keys) => keys.map((k) => ids[k]!))
    const split = Math.floor(orders.length * 0.8)
    const train = orders.slice(0, split)
    const test = orders.slice(split)

    // The module's service with the orders door answering from the synthetic history.
    const service = createRecommendationsService({
      db: database.db,
      read: () => database.read,
      catalog: runtime.modules.catalog.service,
      orders: {
        getState: async (orderId) => ({
          items: (train[Number(orderId.slice('ord_bench_'.length))] ?? []).map(lineOf),
        }),
      },
    })
    const trainStart = performance.now()
    for (const [i] of train.entries()) {
      const event: DomainEvent = {
        id: `evt_bench_${i}`,
        type: 'order.paid',
        aggregateType: 'order',
        aggregateId: `ord_bench_${i}`,
        payload: {},
        occurredAt: new Date().toISOString(),
      }
      await service.countPaidOrder(event)
    }
    const trainMs = performance.now() - trainStart

    const queries = test
      .filter((order) => order.length > 1)
      .flatMap((order) =>
        order.map((product) => ({
          product,
          others: new Set(order.filter((id) => id !== product)),
        })),
      )
    // The counts are frozen after training: one read per distinct product serves all its queries.
    const asked = new Map<string, string[]>()
    const readStart = performance.now()
    for (const { product } of queries) {
      if (asked.has(product)) continue
      const recs = await service.recommend(product, { limit: K })
      asked.set(
        product,
        recs.map((p) => p.id),
      )
    }
    const recommendMsMean = (performance.now() - readStart) / asked.size

    const sold = new Map<string, number>()
    for (const order of train) for (const id of order) sold.set(id, (sold.get(id) ?? 0) + 1)
    const bestsellers = [...sold.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id)
    const popularity = (product: string) => bestsellers.filter((id) => id !== product).slice(0, K)

    const [pairs] = await database.db
      .selectFrom('recommendations.product_pair')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .execute()
    return {
      machine: {
        date: new Date().toISOString(),
        cpus: os.availableParallelism(),
        model: os.cpus()[0]?.model.trim() ?? 'unknown',
        node: process.version,
      },
      products: ids.length,
      categories: history.categories.length,
      trainOrders: train.length,
      testOrders: test.length,
      queries: queries.length,
      pairRows: Number(pairs?.n ?? 0),
      trainMs,
      recommendMsMean,
      rows: [
        score('bought together (cosine) + similar', queries, (p) => asked.get(p) ?? []),
        score('popularity (top-5 bestsellers)', queries, popularity),
      ],
    }
  } finally {
    await runtime.relay.stop()
    await runtime.jobs.stop()
    await runtime.closeConnections()
    await database.close()
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`

export function qualityTable(q: RecommendationsQuality): string {
  return [
    `| method | precision@${K} | recall@${K} | hit rate@${K} |`,
    '| --- | ---: | ---: | ---: |',
    ...q.rows.map(
      (r) => `| ${r.method} | ${pct(r.precision)} | ${pct(r.recall)} | ${pct(r.hitRate)} |`,
    ),
  ].join('\n')
}

export function qualitySummary(q: RecommendationsQuality): string {
  return (
    `${q.products} products in ${q.categories} categories; ${q.trainOrders} training orders ` +
    `(${q.pairRows} pair rows, counted in ${(q.trainMs / 1000).toFixed(1)} s through the ` +
    `order.paid consumer), ${q.testOrders} test orders giving ${q.queries} queries; ` +
    `${q.recommendMsMean.toFixed(1)} ms per recommendation read on embedded PGlite.`
  )
}

/** The section of bench/RESULTS.md. */
export function qualitySection(q: RecommendationsQuality | undefined): string {
  if (!q) return 'Not measured in this run.'
  const { machine } = q
  return `Offline, on synthetic histories (bench/recommendations-data.ts, seeded): 24 categories in
8 themes of 3 complementary ones (a tent goes with a stove or a sleeping bag), 20 products each;
popularity follows a power law (weight 1 / rank^1.1); each product has 3 latent companions in the
other categories of its theme. An order starts with a product drawn by popularity, adds companions
of its products while a decaying coin says so, and one impulse buy by popularity 30 % of the time.
The orders are split in time: the earlier 80 % go through the module's own \`order.paid\` consumer
(its pair counting, claim and cap) on embedded PGlite; then for each product of each later order
with two or more products the module's own read asks for ${K} recommendations (its scoring, the
catalog's details and the similar-products fill-up), and each is judged against the other
products of that order. The baseline recommends the ${K} best sellers of the training orders
(never the product itself). Only the orders' lines come from the history instead of the orders
module.

${qualitySummary(q)} Measured ${machine.date} on ${machine.cpus} × ${machine.model}, Node ${machine.node}.

${qualityTable(q)}`
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const q = await recommendationsQuality()
  console.log(`${qualitySummary(q)}\n\n${qualityTable(q)}`)
}
