import type { CheckoutMatrix } from './checkout-matrix.js'
import { checkoutVerdicts } from './checkout-report.js'
import type { LoadResult, MemorySample } from './load.js'
import type { RecommendationsQuality } from './recommendations-quality.js'

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

/** The parts of the bench a run may be limited to (`--only`); the default runs them all. */
export const PARTS = ['starts', 'listing', 'checkout', 'recommendations'] as const
export type Part = (typeof PARTS)[number]

export interface BenchSettings {
  connections: number
  durationS: number
  warmupS: number
  parts: Part[]
  engines: Engine[]
  /** Checkout flows at once, one row per count (and pgbench's clients). */
  clients: number[]
}

export interface BenchResults {
  machine: Machine
  settings: BenchSettings
  rows: ScenarioRow[]
  firstStartMs?: number
  restartMs?: number
  /** The app's own `startupMs` (database open → listening), without Node booting. */
  appStartupMs: { first?: number; restart?: number }
  postgresStartMs?: number
  memory: Partial<Record<Engine, MemorySample>>
  nodeModulesBytes: number
  checkout?: CheckoutMatrix
  recommendations?: RecommendationsQuality
  listing?: { bytes: number; contentType: string; statements: number }
  notes: string[]
}

export interface Verdict {
  budget: string
  figure: string
  limit: string
  pass: boolean | undefined
}

const MB = 1_000_000
export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
export const pct = (ratio: number | undefined) =>
  ratio === undefined ? '' : `${fmt(ratio * 100, 1)} %`
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
  for (const engine of ['pglite', 'postgres'] as const) {
    const rest = findRow(results, 'listing', engine)
    const graphql = findRow(results, 'listing graphql', engine)
    const ratio = rest && graphql ? graphql.load.rps / rest.load.rps : undefined
    verdicts.push({
      budget: `GraphQL listing (${engine}) vs the REST listing, req/s`,
      figure: ratio === undefined ? 'not measured' : pct(ratio),
      limit: '≥ 80 %',
      pass: ratio === undefined ? undefined : ratio >= 0.8,
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

const RSS_LIMIT_MB: Record<Engine, number> = { postgres: 200, pglite: 300 }

function timeVerdict(budget: string, ms: number | undefined, limitMs: number): Verdict {
  return {
    budget,
    figure: ms === undefined ? 'not measured' : secs(ms),
    limit: `≤ ${secs(limitMs)}`,
    pass: ms === undefined ? undefined : ms <= limitMs,
  }
}

export function verdicts(results: BenchResults): Verdict[] {
  const memory = (['pglite', 'postgres'] as const).map((engine): Verdict => {
    const sample = results.memory[engine]
    const limit = RSS_LIMIT_MB[engine]
    return {
      budget: `Peak RSS under the listing load (${engine}, one process)`,
      figure: sample ? mb(sample.peakRss) : 'not measured',
      limit: `≤ ${limit} MB`,
      pass: sample ? sample.peakRss <= limit * MB : undefined,
    }
  })
  return [
    ...listingVerdicts(results),
    ...checkoutVerdicts(results.checkout),
    timeVerdict(
      'Embedded first start (empty data dir, migrations, demo seed)',
      results.firstStartMs,
      5_000,
    ),
    timeVerdict('Embedded restart (same data dir)', results.restartMs, 1_500),
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
    // Only these send ceiling 1's bytes; elsewhere the ratio is a reference.
    const reference = ['listing', 'listing uncached'].includes(r.scenario) ? '' : ' (ref.)'
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
  const time = (ms: number | undefined, startupMs?: number) =>
    ms === undefined ? 'not measured' : `${secs(ms)}${own(startupMs)}`
  return [
    '| figure | value |',
    '| --- | --- |',
    `| Embedded first start: spawn → "Emporium is ready" (empty data dir, migrations, seed) | ${time(results.firstStartMs, results.appStartupMs.first)} |`,
    `| Embedded restart on the same data dir: spawn → "Emporium is ready" | ${time(results.restartMs, results.appStartupMs.restart)} |`,
    `| PostgreSQL start (empty database, migrations, seed, one process): spawn → /readyz 200 | ${time(results.postgresStartMs)} |`,
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
