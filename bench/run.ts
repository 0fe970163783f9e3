// `npm run bench [-- --only checkout --clients 1,10 …]`: load scenarios against Emporium on both
// engines, the ceilings they are judged by, and checkout next to pgbench; writes bench/RESULTS.md
// (the options: bench/results-markdown.ts, docs/testing.md). Exit 1: a figure regressed more than
// 10 % against bench/baseline.json. Exit 2: the run itself failed (a crash, failed requests,
// stock off the books).
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { format, resolveConfig } from 'prettier'
import { baselineJson, compare, comparisonTable, readBaseline, TOLERANCE } from './baseline.js'
import { checkoutMatrix, variantLabel, type CheckoutMatrix } from './checkout-matrix.js'
import { checkoutTable } from './checkout-report.js'
import { cleanup, log, notes, tempDir, track } from './context.js'
import { embeddedStarts, listingRuns } from './listing.js'
import { busyShare, machine, nodeModulesBytes } from './machine.js'
import {
  findRow,
  loadTable,
  PARTS,
  verdicts,
  verdictTable,
  type BenchResults,
  type BenchSettings,
  type Engine,
} from './report.js'
import { DEFAULT_CLIENTS, resultsMarkdown } from './results-markdown.js'
import { ROOT } from './servers.js'
import { qualitySummary, qualityTable, recommendationsQuality } from './recommendations-quality.js'

const BASELINE_FILE = path.join(ROOT, 'bench/baseline.json')
const ENGINES: Engine[] = ['pglite', 'postgres']

const { values: args } = parseArgs({
  options: {
    'update-baseline': { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '100' },
    only: { type: 'string', default: PARTS.join(',') },
    engines: { type: 'string', default: ENGINES.join(',') },
    clients: { type: 'string', default: DEFAULT_CLIENTS.join(',') },
    out: { type: 'string', default: 'bench/RESULTS.md' },
  },
})

/** A comma-separated option whose every item must be one of `allowed`. */
function listOf<T extends string>(option: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').map((item) => item.trim()) as T[]
  const wrong = items.filter((item) => !allowed.includes(item))
  if (wrong.length > 0 || items.length === 0) {
    throw new Error(`--${option}: ${wrong.join(', ')} is not one of ${allowed.join(', ')}`)
  }
  return allowed.filter((item) => items.includes(item))
}

function parseSettings(): BenchSettings {
  const clients = [...new Set(args.clients.split(',').map(Number))].sort((a, b) => a - b)
  if (clients.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`--clients: ${args.clients} is not a list of positive whole numbers`)
  }
  const settings: BenchSettings = {
    connections: Number(args.connections),
    durationS: Number(args.duration),
    warmupS: Number(args.warmup),
    parts: listOf('only', args.only, PARTS),
    engines: listOf('engines', args.engines, ENGINES),
    clients,
  }
  const partial =
    settings.parts.length < PARTS.length ||
    settings.engines.length < ENGINES.length ||
    clients.join(',') !== DEFAULT_CLIENTS.join(',')
  if (args['update-baseline'] && partial) {
    throw new Error('--update-baseline needs a whole run (no --only, --engines or --clients)')
  }
  return settings
}

/** Written as `npm run format` would leave it, so `prettier --check .` passes on the output. */
async function writeFormatted(file: string, text: string): Promise<void> {
  const options = await resolveConfig(file)
  writeFileSync(file, await format(text, { ...options, filepath: file }))
}

/** A checkout row that failed requests or left the books wrong makes the run fail. */
function checkoutNotes(matrix: CheckoutMatrix): void {
  for (const row of matrix.rows) {
    const where = `checkout on ${variantLabel(row.engine, row.concurrency)}, ${row.clients} clients`
    if (row.failures > 0) notes.push(`${where}: ${row.failureDetail}.`)
    if (!row.stock.ok || row.stock.oversell > 0) {
      notes.push(
        `${where}: stock off the books (oversell ${row.stock.oversell}): ${row.stock.detail}.`,
      )
    }
  }
}

async function measureAll(settings: BenchSettings): Promise<BenchResults> {
  const busyBefore = await busyShare()
  const { parts } = settings
  const results: BenchResults = {
    machine: await machine(busyBefore),
    settings,
    rows: [],
    appStartupMs: {},
    memory: {},
    nodeModulesBytes: nodeModulesBytes(ROOT),
    notes,
  }
  if (parts.includes('starts') || parts.includes('listing')) {
    // The listing's bytes (ceiling 1) and the embedded data dir come from the starts.
    const dataDir = path.join(tempDir('emporium-bench-'), 'data')
    const starts = await embeddedStarts(dataDir)
    Object.assign(results, {
      firstStartMs: starts.firstStartMs,
      restartMs: starts.restartMs,
      appStartupMs: starts.startups,
    })
    if (parts.includes('listing')) {
      const { connections, durationS, warmupS } = settings
      const listing = await listingRuns(
        { connections, durationS, warmupS },
        starts.listing,
        dataDir,
      )
      Object.assign(results, listing)
    }
  }
  if (parts.includes('checkout')) {
    const matrix = await checkoutMatrix({
      engines: settings.engines,
      clients: settings.clients,
      durationS: settings.durationS,
      warmupS: settings.warmupS,
      tempDir,
      track,
      log,
    })
    checkoutNotes(matrix)
    results.checkout = matrix
  }
  if (parts.includes('recommendations')) {
    log('recommendations quality: synthetic orders through the module on embedded PGlite')
    results.recommendations = await recommendationsQuality()
  }
  return results
}

/** Compares with the baseline (or writes it); returns whether anything regressed. */
async function baselineCheck(
  results: BenchResults,
): Promise<{ regressed: boolean; markdown: string }> {
  if (args['update-baseline']) {
    await writeFormatted(BASELINE_FILE, baselineJson(results))
    return { regressed: false, markdown: 'This run was written to `bench/baseline.json`.' }
  }
  const baseline = readBaseline(BASELINE_FILE)
  if (!baseline) {
    return {
      regressed: false,
      markdown: 'No `bench/baseline.json` yet: `npm run bench -- --update-baseline` writes one.',
    }
  }
  const list = compare(baseline, results)
  const regressed = list.some((c) => c.regressed)
  const where = `Baseline from ${baseline.machine.date} (${baseline.machine.cpus} × ${baseline.machine.model}).`
  const rule = `A figure more than ${TOLERANCE * 100} % worse fails the check.`
  return { regressed, markdown: `${where} ${rule}\n\n${comparisonTable(list)}` }
}

async function main(): Promise<number> {
  const settings = parseSettings()
  const resultsFile = path.resolve(args.out)
  const results = await measureAll(settings)
  const verdictList = verdicts(results)
  const check = await baselineCheck(results)
  await writeFormatted(resultsFile, resultsMarkdown(results, verdictList, check.markdown))
  const quality = results.recommendations
  const tables = [
    loadTable(results),
    checkoutTable(results.checkout),
    ...(quality ? [`${qualitySummary(quality)}\n\n${qualityTable(quality)}`] : []),
    verdictTable(verdictList),
  ]
  console.log(`\n${tables.join('\n\n')}\n\n${check.markdown}\n`)
  for (const note of notes) console.log(`problem: ${note}`)
  log(`wrote ${path.relative(process.cwd(), resultsFile)}`)
  const listingMissing =
    settings.parts.includes('listing') && !findRow(results, 'listing', 'postgres')
  if (notes.length > 0 || listingMissing) return 2
  if (check.regressed) {
    log(`a figure regressed more than ${TOLERANCE * 100} % against the baseline`)
    return 1
  }
  return 0
}

process.once('SIGINT', () => void cleanup().then(() => process.exit(130)))
main()
  .then(async (code) => {
    await cleanup()
    process.exit(code)
  })
  .catch(async (error: unknown) => {
    console.error('[bench] failed:', error instanceof Error ? error.message : error)
    await cleanup()
    process.exit(2)
  })
