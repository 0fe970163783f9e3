import { existsSync, readFileSync } from 'node:fs'
import type { CheckoutRow } from './checkout-matrix.js'
import type { BenchResults, Machine } from './report.js'

export interface Figure {
  value: number
  unit: string
  better: 'higher' | 'lower'
  /** A change smaller than this, in `unit`, is noise whatever its share. */
  floor?: number
}

export interface Baseline {
  machine: Machine
  figures: Record<string, Figure>
}

export interface Comparison {
  key: string
  /** Absent: a figure the stored baseline does not have yet (reported as new, never a failure). */
  baseline?: number
  /** Absent: a baseline figure this run did not measure (e.g. a part left out with `--only`). */
  current?: number
  unit: string
  /** How much worse, as a share of the baseline (negative when better). */
  worse: number
  regressed: boolean
}

export const TOLERANCE = 0.1
/**
 * autocannon reports latency in whole milliseconds at these speeds: 2 → 3 ms is "50 % worse" and
 * means nothing. A latency only regresses when it is also this much worse in absolute terms.
 */
const LATENCY_FLOOR_MS = 1

/**
 * The figures that describe Emporium. The ceilings themselves are left out: they measure the
 * machine, and the ratios against them already carry what matters.
 */
export function figuresOf(results: BenchResults): Record<string, Figure> {
  const figures: Record<string, Figure> = {}
  for (const row of results.rows) {
    if (row.engine === '-') continue
    const key = `${row.engine}.${row.scenario}`
    figures[`${key}.rps`] = { value: round(row.load.rps), unit: 'req/s', better: 'higher' }
    figures[`${key}.p50`] = {
      value: row.load.p50,
      unit: 'ms',
      better: 'lower',
      floor: LATENCY_FLOOR_MS,
    }
    figures[`${key}.p99`] = {
      value: row.load.p99,
      unit: 'ms',
      better: 'lower',
      floor: LATENCY_FLOOR_MS,
    }
    if (row.scenario === 'listing' && row.vsCeiling1 !== undefined) {
      figures[`${key}.vs_ceiling1`] = {
        value: round(row.vsCeiling1, 4),
        unit: 'ratio',
        better: 'higher',
      }
    }
    if (row.vsCeiling2 !== undefined) {
      figures[`${key}.vs_ceiling2`] = {
        value: round(row.vsCeiling2, 4),
        unit: 'ratio',
        better: 'higher',
      }
    }
  }
  if (results.firstStartMs !== undefined) {
    figures['pglite.first_start'] = {
      value: round(results.firstStartMs),
      unit: 'ms',
      better: 'lower',
    }
  }
  if (results.restartMs !== undefined) {
    figures['pglite.restart'] = { value: round(results.restartMs), unit: 'ms', better: 'lower' }
  }
  for (const [engine, sample] of Object.entries(results.memory)) {
    figures[`${engine}.listing.peak_rss`] = {
      value: sample.peakRss,
      unit: 'bytes',
      better: 'lower',
    }
  }
  figures['node_modules'] = { value: results.nodeModulesBytes, unit: 'bytes', better: 'lower' }
  for (const row of results.checkout?.rows ?? []) {
    const tps = results.checkout?.pgbench.find((p) => p.clients === row.clients)?.tps
    Object.assign(figures, checkoutFigures(row, row.engine === 'postgres' ? tps : undefined))
  }
  return figures
}

/** `postgres.checkout.c10.p99`; the one-process PostgreSQL row is `postgres.wc1.checkout.…`. */
function checkoutFigures(row: CheckoutRow, pgbenchTps: number | undefined) {
  const key = `${row.engine}${row.concurrency === 1 ? '.wc1' : ''}.checkout.c${row.clients}`
  const ms = (value: number, floor = LATENCY_FLOOR_MS): Figure => ({
    value: round(value, 1),
    unit: 'ms',
    better: 'lower',
    floor,
  })
  const figures: Record<string, Figure> = {
    [`${key}.orders_per_s`]: {
      value: round(row.ordersPerSecond, 1),
      unit: 'orders/s',
      better: 'higher',
    },
    [`${key}.p50`]: ms(row.p50),
    [`${key}.p99`]: ms(row.p99),
    [`${key}.peak_rss`]: { value: row.memory.peakRss, unit: 'bytes', better: 'lower' },
    [`${key}.webhook_lag_p99`]: ms(row.webhookLag.p99, 5),
  }
  if (row.outboxLag) figures[`${key}.outbox_lag_p99`] = ms(row.outboxLag.p99, 5)
  if (pgbenchTps) {
    figures[`${key}.vs_pgbench`] = {
      value: round(row.ordersPerSecond / pgbenchTps, 4),
      unit: 'ratio',
      better: 'higher',
    }
  }
  return figures
}

function round(n: number, digits = 0): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

export function readBaseline(file: string): Baseline | undefined {
  if (!existsSync(file)) return undefined
  return JSON.parse(readFileSync(file, 'utf8')) as Baseline
}

export function baselineJson(results: BenchResults): string {
  const baseline: Baseline = { machine: results.machine, figures: figuresOf(results) }
  return JSON.stringify(baseline, null, 2)
}

/**
 * Every figure present in both, with whether it got more than TOLERANCE worse; then the figures
 * only this run has (new) and those only the baseline has (not measured), neither a failure.
 */
export function compare(baseline: Baseline, results: BenchResults): Comparison[] {
  const current = figuresOf(results)
  const both = Object.entries(baseline.figures).flatMap(([key, base]): Comparison[] => {
    const now = current[key]
    if (!now) return []
    const delta = base.better === 'higher' ? base.value - now.value : now.value - base.value
    const worse = base.value === 0 ? 0 : delta / base.value
    const aboveFloor = delta > (base.floor ?? 0)
    const regressed = worse > TOLERANCE && aboveFloor
    return [{ key, baseline: base.value, current: now.value, unit: base.unit, worse, regressed }]
  })
  const added = Object.entries(current)
    .filter(([key]) => !(key in baseline.figures))
    .map(([key, now]) => ({ key, current: now.value, unit: now.unit, worse: 0, regressed: false }))
  const missing = Object.entries(baseline.figures)
    .filter(([key]) => !(key in current))
    .map(([key, base]) => ({
      key,
      baseline: base.value,
      unit: base.unit,
      worse: 0,
      regressed: false,
    }))
  return [...both, ...added, ...missing]
}

function show(value: number, unit: string): string {
  if (unit === 'bytes') return `${(value / 1_000_000).toFixed(1)} MB`
  if (unit === 'ratio') return `${(value * 100).toFixed(1)} %`
  if (unit === 'ms') return `${value.toFixed(1)} ms`
  return `${Math.round(value)} ${unit}`
}

function check(c: Comparison): string {
  if (c.baseline === undefined) return 'new'
  if (c.current === undefined) return 'not measured'
  return c.regressed ? '**REGRESSED**' : 'ok'
}

export function comparisonTable(list: Comparison[]): string {
  const value = (n: number | undefined, unit: string) => (n === undefined ? '' : show(n, unit))
  return [
    '| figure | baseline | now | better (+) / worse (−) | check |',
    '| --- | ---: | ---: | ---: | --- |',
    ...list.map((c) => {
      const measured = c.baseline !== undefined && c.current !== undefined
      const change = measured ? `${c.worse > 0 ? '' : '+'}${(-c.worse * 100).toFixed(1)} %` : ''
      return `| ${c.key} | ${value(c.baseline, c.unit)} | ${value(c.current, c.unit)} | ${change} | ${check(c)} |`
    }),
  ].join('\n')
}
