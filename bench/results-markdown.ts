// The whole of bench/RESULTS.md, prose included: written by every run, never by hand.
import { checkoutTable } from './checkout-report.js'
import { qualitySection } from './recommendations-quality.js'
import {
  fmt,
  loadTable,
  machineLines,
  PARTS,
  startupTable,
  verdictTable,
  type BenchResults,
  type Verdict,
} from './report.js'

export const DEFAULT_CLIENTS = [1, 10, 50]

function problems(notes: string[]): string {
  if (notes.length === 0) return ''
  return `\n**Problems in this run** (the bench exits 2):\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`
}

/** Whether this run was the whole bench with its default settings, and what it covered. */
function scope(results: BenchResults): string {
  const { parts, engines, clients, durationS, warmupS } = results.settings
  const whole =
    parts.length === PARTS.length &&
    engines.length === 2 &&
    clients.join(',') === DEFAULT_CLIENTS.join(',')
  const checkout = parts.includes('checkout')
    ? `; checkout on ${engines.join(', ')} at ${clients.join(', ')} clients`
    : ''
  const what = `parts ${parts.join(', ')}${checkout}; ${durationS} s per run after a ${warmupS} s warm-up`
  return whole
    ? `This run: the whole bench (${what}).`
    : `This run: **a partial run** (${what}); not the figures to compare releases by.`
}

const HOW = `How to run it: \`npm run bench\` runs every part on both engines (about 10 minutes on 2
cores) and needs a PostgreSQL server (\`BENCH_POSTGRES_URL\`, default the local one) with
\`pgbench\` on the PATH. Options: \`--only starts,listing,checkout,recommendations\` (the parts to run),
\`--engines pglite,postgres\` and \`--clients 1,10,50\` (the checkout rows, and pgbench's clients),
\`--duration\` (s per run, default 10), \`--warmup\` (default 3), \`--connections\` (the listing
scenarios, default 100), \`--out\` (another file than this one, for quick runs) and
\`--update-baseline\` (a whole run only). It exits 1 when a figure is more than 10 % worse than
\`bench/baseline.json\`, 2 when the run itself failed (a crash, failed requests, stock off the
books).`

function listingSection(results: BenchResults): string {
  const { listing } = results
  if (!listing) return 'Not measured in this run.'
  const { connections, durationS, warmupS } = results.settings
  return `autocannon in the bench process, loopback, ${connections} connections, ${durationS} s per scenario after
a ${warmupS} s warm-up that is thrown away. Before an Emporium server's first scenario the bench waits
until the listing has been a cache hit for 2 s in a row (the demo seed's outbox events relayed: each
one empties the catalog cache). Each server runs in a process of its own; only one runs at a time.
Emporium runs as \`npm start\` does (\`node scripts/start.mjs start\`, built JavaScript) with
\`LOG_LEVEL=warn\`, the demo catalog and \`WEB_CONCURRENCY=1\` (one process, whose RSS is sampled);
rate limiting stays on, with a quota (\`RATE_LIMIT_DEFAULT=999999999/60\`) the load cannot use up.

"other CPU" is the share of the machine's CPU time that processes other than the bench and the
server under load used during the measured run (PostgreSQL included, where the scenario queries
it): above a few per cent, the row shares the machine with other work and its ratios are noisier.

- **ceiling 1**: a bare Fastify route returning the exact bytes and content type of Emporium's
  \`GET /v1/products?limit=20\` (${fmt(listing.bytes)} bytes, \`${listing.contentType}\`, taken from
  the embedded run). The listing rows compare against it as the budget defines; the detail, search
  and GraphQL rows carry the same ratio only as a reference, since their replies are other bytes.
- **listing graphql**: the same page as a GraphQL GET query of the REST items' fields; its budget
  is a share of the REST listing's req/s on the same engine.
- **ceiling 2**: a bare Fastify route running the listing's SQL (\`productListingSql('EUR', 20)\`
  from the catalog module: ${listing.statements} statement${listing.statements === 1 ? '' : 's'}, in order) on a \`pg\` pool of the same
  size as Emporium's (10), on the same PostgreSQL database. Only the PostgreSQL listing compares
  against it.

${loadTable(results)}`
}

function checkoutSection(results: BenchResults): string {
  const { clients, durationS } = results.settings
  return `Per flow, one autocannon connection creates a guest cart, adds one unit of one of 50 variants
(picked at random, 1,000,000 units each) and checks out with \`tok_visa\`; the latency is that of
the checkout request, orders/s counts its 201 replies. Rows: PostgreSQL as \`npm start\` runs it
by default (\`WEB_CONCURRENCY\` unset: one API process per core and a worker process, under
node:cluster), the same with \`WEB_CONCURRENCY=1\` (one process) at 10 clients for comparison, and
PGlite (always one process). Each engine's server is started once, on an empty store, and runs its
client counts in ascending order. "processes" and "peak RSS" cover the server's process tree
(VmRSS summed over the primary and its children, sampled every 100 ms during warm-up and run).

Each paid order also runs its consumers (confirmation mail to \`DATA_DIR/mail\`, webhook fan-out,
stock-change events). A local webhook endpoint subscribed to \`order.paid\` records how long each
delivery took from the event's commit; on PostgreSQL the outbox lag is read from \`platform.outbox\`
(\`published_at − occurred_at\`) for the row's events.

After each row the bench waits (up to 30 s) until no unit is held, then checks the books through
the admin API (both engines): for every bench variant on hand + units on paid orders = the initial
stock, reserved ≥ 0 and nothing below zero, and the paid orders' units equal the units taken from
stock. "oversell" counts units sold beyond what stock gave up plus any level below zero; it must
be 0, and a row off the books fails the run. The figures are cumulative over the server's rows.

pgbench runs TPC-B (scale 10) on a fresh database of the same PostgreSQL server after the checkout
rows, while no Emporium server runs, at the same client counts (${clients.join(', ')}), ${durationS} s each.

${checkoutTable(results.checkout)}`
}

export function resultsMarkdown(
  results: BenchResults,
  verdictList: Verdict[],
  comparison: string,
): string {
  return `# Bench results

Written by \`npm run bench\` (bench/run.ts); do not edit by hand. ${scope(results)}

${HOW}

## Machine

${machineLines(results.machine)}

## Listing load

${listingSection(results)}

## Checkout

${checkoutSection(results)}

## Recommendations quality

${qualitySection(results.recommendations)}

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
