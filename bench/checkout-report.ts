// The checkout section of bench/RESULTS.md and its budgets.
import type { CheckoutMatrix, CheckoutRow, Concurrency } from './checkout-matrix.js'
import { variantLabel } from './checkout-matrix.js'
import type { Engine, Verdict } from './report.js'

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const pct = (ratio: number | undefined) => (ratio === undefined ? '' : `${fmt(ratio * 100, 1)} %`)
const mb = (bytes: number) => `${fmt(bytes / 1_000_000, 1)} MB`

export function findCheckout(
  matrix: CheckoutMatrix | undefined,
  engine: Engine,
  clients: number,
  concurrency: Concurrency = 'default',
): CheckoutRow | undefined {
  return matrix?.rows.find(
    (r) => r.engine === engine && r.clients === clients && r.concurrency === concurrency,
  )
}

export function pgbenchAt(matrix: CheckoutMatrix | undefined, clients: number) {
  return matrix?.pgbench.find((p) => p.clients === clients)?.tps
}

function stockCell(row: CheckoutRow): string {
  const { stock } = row
  const books = `${fmt(stock.sold)} sold = ${fmt(stock.taken)} taken`
  const held = stock.reserved > 0 ? `, ${fmt(stock.reserved)} still held` : ''
  return stock.ok ? `ok (${books}${held})` : `**FAIL**: ${stock.detail}`
}

export function checkoutTable(matrix: CheckoutMatrix | undefined): string {
  if (!matrix || matrix.rows.length === 0) return 'Not measured in this run.'
  const lines = [
    '| engine | processes | clients | orders/s | checkout p50 ms | checkout p99 ms | failed requests | oversell | stock check | peak RSS (sum) | webhook lag p50 / p99 ms | outbox lag p50 / p99 ms | pgbench tps (same clients) | orders/s ÷ tps |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const r of matrix.rows) {
    const tps = r.engine === 'postgres' ? pgbenchAt(matrix, r.clients) : undefined
    const outbox = r.outboxLag ? `${fmt(r.outboxLag.p50, 1)} / ${fmt(r.outboxLag.p99, 1)}` : ''
    lines.push(
      `| ${variantLabel(r.engine, r.concurrency)} | ${r.memory.processes} | ${r.clients} | ` +
        `${fmt(r.ordersPerSecond, 1)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.failures)} | ` +
        `${fmt(r.stock.oversell)} | ${stockCell(r)} | ${mb(r.memory.peakRss)} | ` +
        `${fmt(r.webhookLag.p50, 1)} / ${fmt(r.webhookLag.p99, 1)} (${fmt(r.webhookLag.delivered)} of ${fmt(r.webhookLag.expected)}) | ` +
        `${outbox} | ${tps === undefined ? '' : fmt(tps)} | ${tps ? pct(r.ordersPerSecond / tps) : ''} |`,
    )
  }
  return lines.join('\n')
}

const missing = (budget: string, limit: string): Verdict => ({
  budget,
  figure: 'not measured',
  limit,
  pass: undefined,
})

function postgresVerdicts(matrix: CheckoutMatrix | undefined): Verdict[] {
  const out: Verdict[] = []
  const ten = findCheckout(matrix, 'postgres', 10)
  const tps = pgbenchAt(matrix, 10)
  const tenBudget = 'Checkout (postgres, every core, 10 clients) vs pgbench TPC-B (10 clients)'
  const tenLimit = '≥ 25 %, p99 ≤ 100 ms'
  if (ten && tps) {
    const ratio = ten.ordersPerSecond / tps
    out.push({
      budget: tenBudget,
      figure: `${fmt(ten.ordersPerSecond, 1)} orders/s = ${pct(ratio)} of ${fmt(tps)} tps, p99 ${fmt(ten.p99, 1)} ms`,
      limit: tenLimit,
      pass: ratio >= 0.25 && ten.p99 <= 100,
    })
  } else out.push(missing(tenBudget, tenLimit))
  const fifty = findCheckout(matrix, 'postgres', 50)
  const fiftyBudget = 'Checkout (postgres, every core, 50 clients)'
  const fiftyLimit = 'p99 ≤ 250 ms, oversell 0'
  out.push(
    fifty
      ? {
          budget: fiftyBudget,
          figure: `p99 ${fmt(fifty.p99, 1)} ms, oversell ${fmt(fifty.stock.oversell)}`,
          limit: fiftyLimit,
          pass: fifty.p99 <= 250 && fifty.stock.oversell === 0 && fifty.stock.ok,
        }
      : missing(fiftyBudget, fiftyLimit),
  )
  return out
}

export function checkoutVerdicts(matrix: CheckoutMatrix | undefined): Verdict[] {
  const out = postgresVerdicts(matrix)
  for (const engine of ['postgres', 'pglite'] as const) {
    const one = findCheckout(matrix, engine, 1)
    const budget = `Checkout, one sequential client (${engine})`
    out.push(
      one
        ? {
            budget,
            figure: `${fmt(one.ordersPerSecond, 1)} orders/s`,
            limit: '≥ 100 orders/s',
            pass: one.ordersPerSecond >= 100,
          }
        : missing(budget, '≥ 100 orders/s'),
    )
  }
  const pglite = findCheckout(matrix, 'pglite', 50)
  out.push({
    budget: 'Checkout (pglite, 50 clients)',
    figure: pglite
      ? `${fmt(pglite.ordersPerSecond, 1)} orders/s, p99 ${fmt(pglite.p99, 1)} ms`
      : 'not measured',
    limit: 'reported',
    pass: undefined,
  })
  const rows = matrix?.rows ?? []
  const oversell = rows.reduce((sum, r) => sum + r.stock.oversell, 0)
  const broken = rows.filter((r) => !r.stock.ok).length
  out.push({
    budget: 'Stock after every checkout row: on hand + sold = initial, none below zero',
    figure:
      rows.length === 0
        ? 'not measured'
        : `oversell ${fmt(oversell)}, ${broken} of ${rows.length} rows off the books`,
    limit: 'oversell 0, every row on the books',
    pass: rows.length === 0 ? undefined : oversell === 0 && broken === 0,
  })
  return out
}
