import { existsSync, readFileSync } from 'node:fs'
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
  baseline: number
  current: number
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
  figures['pglite.first_start'] = {
    value: round(results.firstStartMs),
    unit: 'ms',
    better: 'lower',
  }
  figures['pglite.restart'] = { value: round(results.restartMs), unit: 'ms', better: 'lower' }
  for (const [engine, sample] of Object.entries(results.memory)) {
    figures[`${engine}.listing.peak_rss`] = {
      value: sample.peakRss,
      unit: 'bytes',
      better: 'lower',
    }
  }
  figures['node_modules'] = { value: results.nodeModulesBytes, unit: 'bytes', better: 'lower' }
  if (results.checkout) {
    const c = results.checkout
    figures['postgres.checkout.orders_per_s'] = {
      value: round(c.ordersPerSecond, 1),
      unit: 'orders/s',
      better: 'higher',
    }
    figures['postgres.checkout.vs_pgbench'] = {
      value: round(c.ordersPerSecond / c.pgbenchTps, 4),
      unit: 'ratio',
      better: 'higher',
    }
    figures['postgres.checkout.outbox_lag_p99'] = {
      value: round(c.outboxLag.p99, 1),
      unit: 'ms',
      better: 'lower',
      floor: 5,
    }
    figures['postgres.checkout.webhook_lag_p99'] = {
      value: round(c.webhookLag.p99, 1),
      unit: 'ms',
      better: 'lower',
      floor: 5,
    }
    figures['postgres.checkout.p99'] = {
      value: round(c.p99, 1),
      unit: 'ms',
      better: 'lower',
      floor: LATENCY_FLOOR_MS,
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

/** Every figure present in both, with whether it got more than TOLERANCE worse. */
export function compare(baseline: Baseline, results: BenchResults): Comparison[] {
  const current = figuresOf(results)
  return Object.entries(baseline.figures).flatMap(([key, base]) => {
    const now = current[key]
    if (!now || base.value === 0) return []
    const delta = base.better === 'higher' ? base.value - now.value : now.value - base.value
    const worse = delta / base.value
    const aboveFloor = delta > (base.floor ?? 0)
    return [
      {
        key,
        baseline: base.value,
        current: now.value,
        unit: base.unit,
        worse,
        regressed: worse > TOLERANCE && aboveFloor,
      },
    ]
  })
}

function show(value: number, unit: string): string {
  if (unit === 'bytes') return `${(value / 1_000_000).toFixed(1)} MB`
  if (unit === 'ratio') return `${(value * 100).toFixed(1)} %`
  if (unit === 'ms') return `${value.toFixed(1)} ms`
  return `${Math.round(value)} ${unit}`
}

export function comparisonTable(list: Comparison[]): string {
  return [
    '| figure | baseline | now | better (+) / worse (−) | check |',
    '| --- | ---: | ---: | ---: | --- |',
    ...list.map((c) => {
      const change = `${c.worse > 0 ? '' : '+'}${(-c.worse * 100).toFixed(1)} %`
      return `| ${c.key} | ${show(c.baseline, c.unit)} | ${show(c.current, c.unit)} | ${change} | ${c.regressed ? '**REGRESSED**' : 'ok'} |`
    }),
  ].join('\n')
}
