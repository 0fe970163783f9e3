// The listing part of the bench: embedded first start and restart, ceiling 1 (the listing's
// bytes from a bare Fastify route), the listing, detail and search scenarios on both engines,
// the uncached listing and ceiling 2 (the listing's SQL behind bare `pg`) on PostgreSQL.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { productListingSql } from '../src/modules/catalog/index.js'
import { log, notes, onCleanup, tempDir, track } from './context.js'
import { measure, sampleMemory, type MemorySample } from './load.js'
import { createThrowawayDatabase } from './postgres.js'
import type { Engine, ScenarioRow } from './report.js'
import { startCeiling, startEmporium, type Child } from './servers.js'

const LISTING = '/v1/products?limit=20'
/** The same page through GraphQL: the fields of the REST listing's items, over GET. */
const GRAPHQL_LISTING = `/graphql?query=${encodeURIComponent(
  '{products(first:20){nodes{id slug title description createdAt updatedAt categories{id slug name} ' +
    'variants{id sku title options{name value} price{amount currency} inStock}} ' +
    'pageInfo{hasNextPage endCursor}}}',
)}`
const CURRENCY = 'EUR'
interface LoadSettings {
  connections: number
  durationS: number
  warmupS: number
}
/** The autocannon settings of the listing scenarios: listingRuns sets them from the command line. */
const loadSettings: LoadSettings = { connections: 100, durationS: 10, warmupS: 3 }

export interface Listing {
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

async function runScenario(
  scenario: string,
  engine: Engine | '-',
  base: string,
  urlPath: string,
  serverPid: number,
): Promise<ScenarioRow> {
  log(`${scenario} on ${engine}: GET ${urlPath}`)
  const load = await measure({ url: `${base}${urlPath}`, ...loadSettings, serverPid })
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
export async function embeddedStarts(dataDir: string) {
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
  const row = await runScenario('ceiling 1', '-', base, LISTING, child.pid)
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

/**
 * The Emporium scenarios; the Emporium process's memory is sampled under the listing. The
 * GraphQL listing is the same page as a GET query, which shares the catalog reply cache.
 */
async function scenarios(engine: Engine, child: Child, slug: string) {
  const base = `http://127.0.0.1:${child.port}`
  const settled = await cacheSteady(base, LISTING)
  log(`${engine}: listing served from the cache steadily after ${Math.round(settled)} ms`)
  const sampler = sampleMemory(child.pid)
  const listing = await runScenario('listing', engine, base, LISTING, child.pid)
  const memory: MemorySample = sampler.stop()
  await cacheSteady(base, GRAPHQL_LISTING)
  const graphql = await runScenario('listing graphql', engine, base, GRAPHQL_LISTING, child.pid)
  const detail = await runScenario('detail', engine, base, `/v1/products/${slug}`, child.pid)
  const search = await runScenario('search', engine, base, '/v1/products?q=coffee', child.pid)
  return { rows: [listing, graphql, detail, search], memory }
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
  const row = await runScenario('ceiling 2', '-', base, LISTING, child.pid)
  await stop()
  return { row, statements: statements.length }
}

async function postgresRuns(slug: string) {
  const database = await createThrowawayDatabase()
  onCleanup(() => database.drop())
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
  const uncached = await runScenario(
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

/**
 * Ceiling 1, the embedded scenarios on `dataDir` (already started once, by embeddedStarts), the
 * PostgreSQL scenarios and ceiling 2; the ratios against the ceilings filled in.
 */
export async function listingRuns(settings: LoadSettings, listing: Listing, dataDir: string) {
  Object.assign(loadSettings, settings)
  const ceiling1 = await ceilingOne(listing)
  const embedded = await startEmporium({ dataDir, logLevel: 'warn' })
  const stopEmbedded = track(embedded.child)
  const pglite = await scenarios('pglite', embedded.child, listing.slug)
  await stopEmbedded()
  const pg = await postgresRuns(listing.slug)
  const c1 = ceiling1.load.rps
  for (const row of [...pglite.rows, ...pg.rows]) row.vsCeiling1 = row.load.rps / c1
  const pgUncached = pg.rows.find((r) => r.scenario === 'listing uncached')
  if (pgUncached) pgUncached.vsCeiling2 = pgUncached.load.rps / pg.ceiling.row.load.rps
  return {
    rows: [ceiling1, pg.ceiling.row, ...pglite.rows, ...pg.rows],
    memory: { pglite: pglite.memory, postgres: pg.memory },
    postgresStartMs: pg.startMs,
    listing: {
      bytes: listing.body.length,
      contentType: listing.contentType,
      statements: pg.ceiling.statements,
    },
  }
}
