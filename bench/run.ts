// `npm run bench [-- --update-baseline]`: load scenarios against Emporium on both engines and the
// ceilings they are judged by; writes bench/RESULTS.md. Exit 1: a figure regressed more than 10 %
// against bench/baseline.json. Exit 2: the run itself failed (a crash, failed requests).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { format, resolveConfig } from 'prettier'
import { productListingSql } from '../src/modules/catalog/index.js'
import { baselineJson, compare, comparisonTable, readBaseline, TOLERANCE } from './baseline.js'
import { checkoutScenario } from './checkout.js'
import { measure, sampleMemory, type MemorySample } from './load.js'
import { busyShare, machine, nodeModulesBytes } from './machine.js'
import { createThrowawayDatabase } from './postgres.js'
import {
  findRow,
  loadTable,
  resultsMarkdown,
  verdicts,
  verdictTable,
  type BenchResults,
  type Engine,
  type ScenarioRow,
} from './report.js'
import { ROOT, startCeiling, startEmporium, type Child } from './servers.js'

const LISTING = '/v1/products?limit=20'
/** Checkout flows in flight at once, and pgbench's clients: a busy shop, not a read storm. */
const CHECKOUT_CONNECTIONS = 10
const CURRENCY = 'EUR'
const BASELINE_FILE = path.join(ROOT, 'bench/baseline.json')
const RESULTS_FILE = path.join(ROOT, 'bench/RESULTS.md')

const { values: args } = parseArgs({
  options: {
    'update-baseline': { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '100' },
  },
})
const settings = {
  connections: Number(args.connections),
  durationS: Number(args.duration),
  warmupS: Number(args.warmup),
}

const cleanups: (() => Promise<unknown>)[] = []
const notes: string[] = []
const log = (message: string) => console.log(`[bench] ${message}`)

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Stops a server, remembering it so a failed run still stops it; SIGTERM must end in exit 0. */
function track(child: Child): () => Promise<void> {
  let stopped: Promise<void> | undefined
  const stop = () =>
    (stopped ??= child.stop().then((code) => {
      if (code !== 0) {
        notes.push(`${child.name} exited with code ${code} after SIGTERM (expected 0).`)
      }
    }))
  cleanups.push(stop)
  return stop
}

/** Written as `npm run format` would leave it, so `prettier --check .` passes on the output. */
async function writeFormatted(file: string, text: string): Promise<void> {
  const options = await resolveConfig(file)
  writeFileSync(file, await format(text, { ...options, filepath: file }))
}

interface Listing {
  body: Buffer
  contentType: string
  slug: string
}

async function fetchListing(base: string): Promise<Listing> {
  const res = await fetch(`${base}${LISTING}`)
  const body = Buffer.from(await res.arrayBuffer())
  if (res.status !== 200) throw new Error(`GET ${LISTING}: ${res.status} ${body.toString()}`)
  const slug = (JSON.parse(body.toString()) as { data?: { slug?: string }[] }).data?.[0]?.slug
  if (!slug) throw new Error(`GET ${LISTING}: no product slug in the reply`)
  return { body, contentType: res.headers.get('content-type') ?? '', slug }
}

async function run(
  scenario: string,
  engine: Engine | '-',
  base: string,
  urlPath: string,
  serverPid: number,
): Promise<ScenarioRow> {
  log(`${scenario} on ${engine}: GET ${urlPath}`)
  const load = await measure({ url: `${base}${urlPath}`, ...settings, serverPid })
  const others = load.otherCpu ?? 0
  if (others > 0.1)
    log(`  other processes used ${Math.round(others * 100)} % of the CPUs meanwhile`)
  if (load.failures > 0) {
    notes.push(
      `${scenario} on ${engine}: ${load.failures} failed requests (${load.failureDetail}).`,
    )
  }
  return { scenario, engine, path: urlPath, load }
}

/** First start on an empty data dir, then a restart; the listing is read on the way. */
async function embeddedStarts(dataDir: string) {
  log('embedded first start (empty data dir)')
  const first = await startEmporium({ dataDir, logLevel: 'info' })
  const stopFirst = track(first.child)
  const listing = await fetchListing(`http://127.0.0.1:${first.child.port}`)
  await stopFirst()
  log('embedded restart (same data dir)')
  const second = await startEmporium({ dataDir, logLevel: 'info' })
  await track(second.child)()
  const startups = { first: first.appStartupMs, restart: second.appStartupMs }
  return { firstStartMs: first.readyMs, restartMs: second.readyMs, startups, listing }
}

async function ceilingOne(listing: Listing): Promise<ScenarioRow> {
  const bodyFile = path.join(tempDir('emporium-bench-'), 'listing.body')
  writeFileSync(bodyFile, listing.body)
  const child = await startCeiling({ kind: 'static', bodyFile, contentType: listing.contentType })
  const stop = track(child)
  const base = `http://127.0.0.1:${child.port}`
  const check = await fetch(`${base}${LISTING}`)
  const same = Buffer.from(await check.arrayBuffer()).equals(listing.body)
  if (!same || check.headers.get('content-type') !== listing.contentType) {
    throw new Error('ceiling 1 does not return the same bytes and content type as the listing')
  }
  const row = await run('ceiling 1', '-', base, LISTING, child.pid)
  await stop()
  return row
}

/**
 * Waits until `urlPath` has been answered from the cache (`X-Cache: hit`) for `steadyMs` in a
 * row: a fresh server is still relaying its demo seed's outbox events, and each of them empties
 * the catalog cache. Loaded at once, the relay's queries queue behind the load, it takes many
 * seconds to catch up, and the "cached listing" figure measures a 146-product import instead.
 */
async function cacheSteady(base: string, urlPath: string, steadyMs = 2000, timeoutMs = 60_000) {
  const since = performance.now()
  let hitSince: number | undefined
  while (performance.now() - since < timeoutMs) {
    const res = await fetch(`${base}${urlPath}`)
    await res.arrayBuffer()
    const now = performance.now()
    if (res.headers.get('x-cache') !== 'hit') hitSince = undefined
    else if ((hitSince ??= now) <= now - steadyMs) return now - since
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`GET ${urlPath}: not served from the cache steadily after ${timeoutMs} ms`)
}

/** The three Emporium scenarios; the Emporium process's memory is sampled under the listing. */
async function scenarios(engine: Engine, child: Child, slug: string) {
  const base = `http://127.0.0.1:${child.port}`
  const settled = await cacheSteady(base, LISTING)
  log(`${engine}: listing served from the cache steadily after ${Math.round(settled)} ms`)
  const sampler = sampleMemory(child.pid)
  const listing = await run('listing', engine, base, LISTING, child.pid)
  const memory: MemorySample = sampler.stop()
  const detail = await run('detail', engine, base, `/v1/products/${slug}`, child.pid)
  const search = await run('search', engine, base, '/v1/products?q=coffee', child.pid)
  return { rows: [listing, detail, search], memory }
}

async function ceilingTwo(databaseUrl: string): Promise<{ row: ScenarioRow; statements: number }> {
  const statements = productListingSql(CURRENCY, 20)
  const statementsFile = path.join(tempDir('emporium-bench-'), 'statements.json')
  writeFileSync(statementsFile, JSON.stringify(statements))
  const child = await startCeiling({ kind: 'pg', databaseUrl, statementsFile, poolSize: 10 })
  const stop = track(child)
  const base = `http://127.0.0.1:${child.port}`
  const check = await fetch(`${base}${LISTING}`)
  if (check.status !== 200) throw new Error(`ceiling 2: ${check.status} ${await check.text()}`)
  const row = await run('ceiling 2', '-', base, LISTING, child.pid)
  await stop()
  return { row, statements: statements.length }
}

async function postgresRuns(slug: string) {
  const database = await createThrowawayDatabase()
  cleanups.push(() => database.drop())
  log('PostgreSQL start (empty database)')
  const app = await startEmporium({
    dataDir: tempDir('emporium-bench-pg-'),
    databaseUrl: database.url,
    logLevel: 'warn',
  })
  const stopApp = track(app.child)
  const pgSlug = await fetchListing(`http://127.0.0.1:${app.child.port}`).then((l) => l.slug)
  if (pgSlug !== slug) log(`PostgreSQL listing starts with ${pgSlug} (embedded: ${slug})`)
  const measured = await scenarios('postgres', app.child, pgSlug)
  await stopApp()
  // The uncached budget compares the query path itself: the same listing with the cache off.
  const uncachedApp = await startEmporium({
    dataDir: tempDir('emporium-bench-pg-'),
    databaseUrl: database.url,
    logLevel: 'warn',
    env: { CATALOG_CACHE_TTL_SECONDS: '0', SEED_DEMO: 'false' },
  })
  const stopUncached = track(uncachedApp.child)
  const uncached = await run(
    'listing uncached',
    'postgres',
    `http://127.0.0.1:${uncachedApp.child.port}`,
    LISTING,
    uncachedApp.child.pid,
  )
  await stopUncached()
  // Ceiling 2 runs alone, after Emporium has stopped, on the database Emporium seeded.
  const ceiling = await ceilingTwo(database.url)
  return { ...measured, rows: [...measured.rows, uncached], startMs: app.readyMs, ceiling }
}

async function measureAll(): Promise<BenchResults> {
  const busyBefore = await busyShare()
  const dataDir = path.join(tempDir('emporium-bench-'), 'data')
  const starts = await embeddedStarts(dataDir)
  const ceiling1 = await ceilingOne(starts.listing)
  const embedded = await startEmporium({ dataDir, logLevel: 'warn' })
  const stopEmbedded = track(embedded.child)
  const pglite = await scenarios('pglite', embedded.child, starts.listing.slug)
  await stopEmbedded()
  const pg = await postgresRuns(starts.listing.slug)
  log('checkout on postgres (cart + item + checkout per flow), then pgbench TPC-B')
  const checkout = await checkoutScenario(
    { connections: CHECKOUT_CONNECTIONS, durationS: settings.durationS, warmupS: settings.warmupS },
    tempDir('emporium-bench-checkout-'),
    track,
  )
  if (checkout.failures > 0) notes.push(`checkout: ${checkout.failureDetail}.`)

  const c1 = ceiling1.load.rps
  const c2 = pg.ceiling.row.load.rps
  for (const row of [...pglite.rows, ...pg.rows]) row.vsCeiling1 = row.load.rps / c1
  const pgUncached = pg.rows.find((r) => r.scenario === 'listing uncached')
  if (pgUncached) pgUncached.vsCeiling2 = pgUncached.load.rps / c2

  return {
    machine: await machine(busyBefore),
    settings,
    rows: [ceiling1, pg.ceiling.row, ...pglite.rows, ...pg.rows],
    firstStartMs: starts.firstStartMs,
    restartMs: starts.restartMs,
    appStartupMs: starts.startups,
    postgresStartMs: pg.startMs,
    memory: { pglite: pglite.memory, postgres: pg.memory },
    nodeModulesBytes: nodeModulesBytes(ROOT),
    checkout,
    listing: {
      bytes: starts.listing.body.length,
      contentType: starts.listing.contentType,
      statements: pg.ceiling.statements,
    },
    notes,
  }
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
  const results = await measureAll()
  const verdictList = verdicts(results)
  const check = await baselineCheck(results)
  await writeFormatted(RESULTS_FILE, resultsMarkdown(results, verdictList, check.markdown))
  console.log(`\n${loadTable(results)}\n\n${verdictTable(verdictList)}\n\n${check.markdown}\n`)
  for (const note of notes) console.log(`problem: ${note}`)
  log(`wrote ${path.relative(process.cwd(), RESULTS_FILE)}`)
  if (notes.length > 0 || !findRow(results, 'listing', 'postgres')) return 2
  if (check.regressed) {
    log(`a figure regressed more than ${TOLERANCE * 100} % against the baseline`)
    return 1
  }
  return 0
}

async function cleanup(): Promise<void> {
  for (const step of cleanups.reverse())
    await step().catch((e: unknown) => log(`cleanup: ${String(e)}`))
  cleanups.length = 0
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
