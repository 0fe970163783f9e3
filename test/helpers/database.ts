import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { Kysely } from 'kysely'
import pg from 'pg'
import { createMigrator, migrateUp } from '../../src/platform/db/migrations.js'
import { openDatabase, type Database } from '../../src/platform/db/database.js'
import { Mutex } from '../../src/platform/db/mutex.js'
import { PGliteDialect } from '../../src/platform/db/pglite-dialect.js'
import { allMigrations } from '../../src/composition.js'

/**
 * Every test file used to run every migration on a database of its own, the suite's main cost.
 * Instead the migrations run once into a template and each file gets a copy: a server-side
 * `CREATE DATABASE … TEMPLATE` on PostgreSQL, a data-directory tarball on PGlite.
 *
 * The template's name carries a hash of each migration's name and code (and the PGlite version),
 * so a changed, added or removed migration builds a new template instead of reusing a stale one.
 */
const pgliteVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    dependencies: Record<string, string>
  }
).dependencies['@electric-sql/pglite']

export const migrationsHash: string = (() => {
  const hash = createHash('sha256').update(`pglite ${pgliteVersion}\n`)
  const all = allMigrations.flatMap((set) => Object.entries(set))
  for (const [name, migration] of all.sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`${name}\n${String(migration.up)}\n${String(migration.down)}\n`)
  }
  return hash.digest('hex').slice(0, 16)
})()

function withDatabase(url: string, name: string): string {
  const own = new URL(url)
  own.pathname = `/${name}`
  return own.toString()
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

// One advisory-lock key for template builds on the server, whichever run or worktree asks.
const TEMPLATE_LOCK = 804_337_001

/**
 * The migrated template on the server, built by whichever test process asks first. Concurrent
 * processes wait on the advisory lock; the build runs under a scratch name and is renamed only
 * once complete, so no one ever clones a half-migrated template.
 */
async function postgresTemplate(url: string): Promise<string> {
  const template = `emporium_tpl_${migrationsHash}`
  await onServer(url, async (client) => {
    await client.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK])
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [template])
      if (found.rowCount) return
      const scratch = `emporium_tplbuild_${randomBytes(6).toString('hex')}`
      await client.query(`create database ${scratch}`)
      try {
        const database = await openDatabase({ engine: 'postgres', url: withDatabase(url, scratch) })
        try {
          await migrateUp(createMigrator(database.db, allMigrations))
        } finally {
          await database.close()
        }
        // A closed pool's backends may linger a moment; a rename needs the database unused.
        await client.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1',
          [scratch],
        )
        await client.query(`alter database ${scratch} rename to ${template}`)
      } catch (error) {
        await client.query(`drop database if exists ${scratch} with (force)`)
        throw error
      }
    } finally {
      await client.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK])
    }
  })
  return template
}

export interface ThrowawayDatabase {
  url: string
  drop: () => Promise<void>
}

/** A server-side database of its own, empty or a copy of the migrated template; drop at close. */
export async function throwawayPostgres(
  url: string,
  options: { migrated: boolean },
): Promise<ThrowawayDatabase> {
  const name = `emporium_test_${randomBytes(6).toString('hex')}`
  const template = options.migrated ? await postgresTemplate(url) : undefined
  await onServer(url, (c) =>
    c.query(template ? `create database ${name} template ${template}` : `create database ${name}`),
  )
  return {
    url: withDatabase(url, name),
    drop: async () => {
      await onServer(url, (c) => c.query(`drop database if exists ${name} with (force)`))
    },
  }
}

const pgliteTemplates = new Map<boolean, Promise<Blob>>()

/**
 * A PGlite data directory as a tarball, cached in the temp directory across processes. A fresh
 * PGlite runs initdb, which costs more than the migrations, so even an empty database starts
 * from a tarball. Two processes may both build one on a cold cache; each writes a file of its
 * own and renames it into place, so a reader only ever sees a complete tarball.
 */
function pgliteDataDir(migrated: boolean): Promise<Blob> {
  let template = pgliteTemplates.get(migrated)
  if (template) return template
  template = (async () => {
    const dir = path.join(os.tmpdir(), 'emporium-test-templates')
    const file = path.join(
      dir,
      `pglite-${migrated ? migrationsHash : `empty-${pgliteVersion}`}.tar`,
    )
    const cached = await readFile(file).catch(() => undefined)
    if (cached) return new Blob([cached])
    // The instance is built here rather than by openDatabase, which keeps PGlite to itself.
    const pglite = new PGlite({ extensions: { pg_trgm } })
    const db = new Kysely({ dialect: new PGliteDialect(pglite, new Mutex()) })
    try {
      // dumpDataDir does not wait for the instance to start (it never settles if called early).
      await pglite.waitReady
      if (migrated) await migrateUp(createMigrator(db, allMigrations))
      const tarball = await pglite.dumpDataDir('none')
      mkdirSync(dir, { recursive: true })
      const scratch = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
      await writeFile(scratch, Buffer.from(await tarball.arrayBuffer()))
      await rename(scratch, file)
      return tarball
    } finally {
      await db.destroy()
      await pglite.close()
    }
  })()
  pgliteTemplates.set(migrated, template)
  return template
}

/**
 * A database of this test file's own, dropped by `drop`. `migrated` gives a copy of the migrated
 * template; without it the database is empty (for tests of migrations or of the engine itself).
 */
export async function openTestDatabase(options: { migrated?: boolean } = {}): Promise<{
  database: Database
  drop: () => Promise<void>
}> {
  const migrated = options.migrated ?? false
  if (process.env.DATABASE_URL) {
    const fresh = await throwawayPostgres(process.env.DATABASE_URL, { migrated })
    const database = await openDatabase({ engine: 'postgres', url: fresh.url, poolSize: 5 })
    return { database, drop: fresh.drop }
  }
  const loadDataDir = await pgliteDataDir(migrated)
  return {
    database: await openDatabase({ engine: 'pglite', dataDir: undefined, loadDataDir }),
    drop: async () => {},
  }
}
