import type { CheckoutResult } from './checkout.js'
import type { LoadResult, MemorySample } from './load.js'

export type Engine = 'pglite' | 'postgres'

export interface Machine {
  cpus: number
  model: string
  memoryBytes: number
  node: string
  postgres: string
  date: string
  /** Share of CPU time busy in the second before the run: other work on the machine skews it all. */
  busyBefore: number
}

export interface ScenarioRow {
  scenario: string
  engine: Engine | '-'
  path: string
  load: LoadResult
  /** Share of ceiling 1's req/s; same bytes for the listing only, a reference elsewhere. */
  vsCeiling1?: number
  /** Share of ceiling 2's req/s (the listing's SQL behind bare `pg`). */
  vsCeiling2?: number
}

export interface BenchResults {
  machine: Machine
  settings: { connections: number; durationS: number; warmupS: number }
  rows: ScenarioRow[]
  firstStartMs: number
  restartMs: number
  /** The app's own `startupMs` (database open → listening), without Node and tsx booting. */
  appStartupMs: { first?: number; restart?: number }
  postgresStartMs: number
  memory: Partial<Record<Engine, MemorySample>>
  nodeModulesBytes: number
  checkout?: CheckoutResult
  listing: { bytes: number; contentType: string; statements: number }
  notes: string[]
}

export interface Verdict {
  budget: string
  figure: string
  limit: string
  pass: boolean | undefined
}

const MB = 1_000_000
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const pct = (ratio: number | undefined) => (ratio === undefined ? '' : `${fmt(ratio * 100, 1)} %`)
const mb = (bytes: number) => `${fmt(bytes / MB, 1)} MB`
const secs = (ms: number) => `${fmt(ms / 1000, 2)} s`

export function findRow(results: BenchResults, scenario: string, engine: Engine | '-') {
  return results.rows.find((r) => r.scenario === scenario && r.engine === engine)
}

function listingVerdicts(results: BenchResults): Verdict[] {
  const verdicts: Verdict[] = []
  for (const engine of ['pglite', 'postgres'] as const) {
    const row = findRow(results, 'listing', engine)
    verdicts.push({
      budget: `Cached listing (${engine}) vs bare Fastify, same bytes`,
      figure: row ? `${pct(row.vsCeiling1)}, p99 ${fmt(row.load.p99, 1)} ms` : 'not measured',
      limit: '≥ 50 %, p99 ≤ 25 ms',
      pass: row?.vsCeiling1 === undefined ? undefined : row.vsCeiling1 >= 0.5 && row.load.p99 <= 25,
    })
  }
  const pgRow = findRow(results, 'listing uncached', 'postgres')
  verdicts.push({
    budget: 'Uncached product query (postgres) vs bare pg, same SQL',
    figure: pgRow?.vsCeiling2 === undefined ? 'not measured' : pct(pgRow.vsCeiling2),
    limit: '≥ 60 %',
    pass: pgRow?.vsCeiling2 === undefined ? undefined : pgRow.vsCeiling2 >= 0.6,
  })
  return verdicts
}

function checkoutVerdict(c: CheckoutResult | undefined): Verdict {
  const ratio = c && c.ordersPerSecond / c.pgbenchTps
  return {
    budget: 'Checkout (postgres) vs pgbench TPC-B',
    figure: c
      ? `${fmt(c.ordersPerSecond, 1)} orders/s = ${pct(ratio)} of ${fmt(c.pgbenchTps)} tps, p99 ${fmt(c.p99, 1)} ms`
      : 'not measured',
    limit: '≥ 25 %, p99 ≤ 100 ms',
    pass: c ? ratio! >= 0.25 && c.p99 <= 100 : undefined,
  }
}

export function checkoutTable(c: CheckoutResult | undefined): string {
  if (!c) return 'Not measured.'
  return [
    '| figure | value |',
    '| --- | --- |',
    `| Orders per second (201 replies to checkout, ${c.connections} flows at once) | ${fmt(c.ordersPerSecond, 1)} |`,
    `| Checkout request latency p50 / p99 | ${fmt(c.p50, 1)} ms / ${fmt(c.p99, 1)} ms |`,
    `| Failed requests in the flows | ${fmt(c.failures)} |`,
    `| pgbench TPC-B (scale 10, ${c.pgbenchClients} clients, same server, same run) | ${fmt(c.pgbenchTps)} tps |`,
    `| Orders per second / pgbench tps | ${pct(c.ordersPerSecond / c.pgbenchTps)} |`,
    `| Outbox lag, commit → published, p50 / p99 (${fmt(c.outboxLag.events)} events) | ${fmt(c.outboxLag.p50, 1)} ms / ${fmt(c.outboxLag.p99, 1)} ms |`,
    `| Webhook lag, commit → received (\`order.paid\`, local endpoint), p50 / p99 | ${fmt(c.webhookLag.p50, 1)} ms / ${fmt(c.webhookLag.p99, 1)} ms |`,
    `| Webhooks received / orders paid in the run | ${fmt(c.webhookLag.delivered)} / ${fmt(c.webhookLag.expected)} |`,
  ].join('\n')
}

export function verdicts(results: BenchResults): Verdict[] {
  const memory = (['pglite', 'postgres'] as const).map((engine): Verdict => {
    const sample = results.memory[engine]
    return {
      budget: `Peak RSS under the listing load (${engine})`,
      figure: sample ? mb(sample.peakRss) : 'not measured',
      limit: '≤ 200 MB',
      pass: sample ? sample.peakRss <= 200 * MB : undefined,
    }
  })
  return [
    ...listingVerdicts(results),
    checkoutVerdict(results.checkout),
    {
      budget: 'Embedded first start (empty data dir, migrations, demo seed)',
      figure: secs(results.firstStartMs),
      limit: '≤ 15 s',
      pass: results.firstStartMs <= 15_000,
    },
    {
      budget: 'Embedded restart (same data dir)',
      figure: secs(results.restartMs),
      limit: '≤ 3 s',
      pass: results.restartMs <= 3_000,
    },
    ...memory,
    {
      budget: '`node_modules` after install (`du -sb`)',
      figure: mb(results.nodeModulesBytes),
      limit: '≤ 150 MB',
      pass: results.nodeModulesBytes <= 150 * MB,
    },
  ]
}

const verdictWord = (pass: boolean | undefined) =>
  pass === undefined ? 'n/a' : pass ? 'pass' : '**FAIL**'

export function loadTable(results: BenchResults): string {
  const lines = [
    '| scenario | engine | req/s | p50 ms | p99 ms | failed requests | vs ceiling 1 | vs ceiling 2 | other CPU |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const r of results.rows) {
    const reference = r.scenario.startsWith('listing') ? '' : ' (ref.)'
    const vs1 = r.vsCeiling1 === undefined ? '' : `${pct(r.vsCeiling1)}${reference}`
    lines.push(
      `| ${r.scenario} \`${r.path}\` | ${r.engine} | ${fmt(r.load.rps)} | ${fmt(r.load.p50, 1)} | ` +
        `${fmt(r.load.p99, 1)} | ${fmt(r.load.failures)} | ${vs1} | ${pct(r.vsCeiling2)} | ` +
        `${pct(r.load.otherCpu)} |`,
    )
  }
  return lines.join('\n')
}

export function verdictTable(list: Verdict[]): string {
  return [
    '| budget | figure | limit | verdict |',
    '| --- | --- | --- | --- |',
    ...list.map((v) => `| ${v.budget} | ${v.figure} | ${v.limit} | ${verdictWord(v.pass)} |`),
  ].join('\n')
}

const own = (ms: number | undefined) =>
  ms === undefined ? '' : ` (app's own startupMs: ${secs(ms)})`

export function startupTable(results: BenchResults): string {
  const memoryLines = (['pglite', 'postgres'] as const).flatMap((engine) => {
    const sample = results.memory[engine]
    if (!sample) return []
    return [
      `| Emporium RSS under listing load (${engine}): peak sampled VmRSS / lifetime VmHWM | ` +
        `${mb(sample.peakRss)} / ${mb(sample.highWaterMark)} |`,
    ]
  })
  return [
    '| figure | value |',
    '| --- | --- |',
    `| Embedded first start: spawn → "Emporium is ready" (empty data dir, migrations, seed) | ${secs(results.firstStartMs)}${own(results.appStartupMs.first)} |`,
    `| Embedded restart on the same data dir: spawn → "Emporium is ready" | ${secs(results.restartMs)}${own(results.appStartupMs.restart)} |`,
    `| PostgreSQL start (empty database, migrations, seed): spawn → /readyz 200 | ${secs(results.postgresStartMs)} |`,
    ...memoryLines,
    `| \`node_modules\` (\`du -sb\`, dev dependencies included) | ${mb(results.nodeModulesBytes)} |`,
  ].join('\n')
}

export function machineLines(m: Machine): string {
  return [
    `- CPU: ${m.cpus} × ${m.model}`,
    `- Memory: ${fmt(m.memoryBytes / 2 ** 30, 1)} GiB`,
    `- Node.js: ${m.node}; PostgreSQL server: ${m.postgres}`,
    `- Date: ${m.date}`,
    `- CPU busy in the second before the run: ${pct(m.busyBefore)}` +
      (m.busyBefore > 0.1 ? ' (other work was running: the figures are noisier)' : ''),
  ].join('\n')
}

function problems(notes: string[]): string {
  if (notes.length === 0) return ''
  return `\n**Problems in this run** (the bench exits 2):\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`
}

/** The whole of bench/RESULTS.md: written by every run, never by hand. */
export function resultsMarkdown(
  results: BenchResults,
  verdictList: Verdict[],
  comparison: string,
): string {
  const { connections, durationS, warmupS } = results.settings
  const { listing } = results
  return `# Bench results

Written by \`npm run bench\` (bench/run.ts); do not edit by hand.

## Machine

${machineLines(results.machine)}

## Load

autocannon in the bench process, loopback, ${connections} connections, ${durationS} s per scenario after
a ${warmupS} s warm-up that is thrown away. Before an Emporium server's first scenario the bench waits
until the listing has been a cache hit for 2 s in a row (the demo seed's outbox events relayed: each
one empties the catalog cache). Each server runs in a process of its own; only one runs at a time. Emporium runs \`node --import tsx src/main.ts start\` with \`LOG_LEVEL=warn\` and the demo
catalog; rate limiting stays on, with a quota (\`RATE_LIMIT_DEFAULT=999999999/60\`) the load cannot use up.

"other CPU" is the share of the machine's CPU time that processes other than the bench and the
server under load used during the measured run (PostgreSQL included, where the scenario queries
it): above a few per cent, the row shares the machine with other work and its ratios are noisier.

- **ceiling 1**: a bare Fastify route returning the exact bytes and content type of Emporium's
  \`GET /v1/products?limit=20\` (${fmt(listing.bytes)} bytes, \`${listing.contentType}\`, taken from
  the embedded run). The listing rows compare against it as the budget defines; the detail and search
  rows carry the same ratio only as a reference, since their replies are other bytes.
- **ceiling 2**: a bare Fastify route running the listing's SQL (\`productListingSql('EUR', 20)\`
  from the catalog module: ${listing.statements} statement${listing.statements === 1 ? '' : 's'}, in order) on a \`pg\` pool of the same
  size as Emporium's (10), on the same PostgreSQL database. Only the PostgreSQL listing compares
  against it.

${loadTable(results)}

## Checkout

Per flow, one autocannon connection creates a guest cart, adds one unit of one of 50 variants
(picked at random, 1,000,000 units each) and checks out with \`tok_visa\`, on PostgreSQL; the
latency is that of the checkout request. Each paid order also runs its consumers in the same
process (confirmation mail to \`DATA_DIR/mail\`, webhook fan-out, stock-change events). pgbench
then runs TPC-B on a fresh database of the same server for as long. A local webhook endpoint
subscribed to \`order.paid\` records how long each delivery took from the event's commit; the
outbox lag is read from \`platform.outbox\` (\`published_at − occurred_at\`) for the run's events.

${checkoutTable(results.checkout)}

## Start-up and footprint

${startupTable(results)}

## Budgets

${verdictTable(verdictList)}

The "cached listing" budget is checked against the listing as the app serves it today, cached or not.
A failed verdict is reported, not an error: the exit code covers only the baseline and the run itself.
${problems(results.notes)}

## Against the baseline

${comparison}
`
}
