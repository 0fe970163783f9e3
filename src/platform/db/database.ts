import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { Kysely, PostgresDialect, sql, type LogEvent } from 'kysely'
import pg from 'pg'
import type { Logger } from 'pino'
import { lockDataDir } from './data-dir-lock.js'
import { Mutex } from './mutex.js'
import { PGliteDialect } from './pglite-dialect.js'
import { holdsDatabase, initdbSnapshot } from './pglite-snapshot.js'
import { prepareStatements } from './prepared.js'
import { failoverPool } from './replicas.js'
import { tracedDialect } from './traced-dialect.js'

export type Engine = 'pglite' | 'postgres'

export interface SqlResult {
  rows: Record<string, unknown>[]
  rowCount: number
}

/**
 * The relational store, whichever engine runs it. Modules narrow `db` to their own tables
 * (`database.db as Kysely<CatalogTables>`); `read` is a replica when one is configured.
 */
export interface Database {
  readonly engine: Engine
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly read: Kysely<any>
  /** Raw SQL for libraries that bring their own (pg-boss); multi-statement text when no values. */
  executeSql(text: string, values?: unknown[]): Promise<SqlResult>
  ping(): Promise<void>
  close(): Promise<void>
  /**
   * Calls `listener` with the duration in milliseconds of every query run through `db` or `read`
   * (failed ones too) until the returned function is called: the metrics take it from here.
   */
  onQuery(listener: QueryListener): () => void
  /** The primary's connections now: PGlite has its one. */
  poolStats(): PoolStats
}

export type QueryListener = (durationMs: number) => void

export interface PoolStats {
  total: number
  idle: number
  waiting: number
}

/** Kysely's `log` option fanning each query's duration out to the current listeners. */
function queryListeners() {
  const listeners = new Set<QueryListener>()
  return {
    log(event: LogEvent) {
      for (const listener of listeners) listener(event.queryDurationMillis)
    },
    onQuery(listener: QueryListener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
  }
}

export type OpenDatabaseOptions =
  | {
      engine: 'postgres'
      url: string
      replicaUrls?: readonly string[]
      poolSize?: number
      /** Named statements, prepared once per connection (default true; src/platform/db/prepared.ts). */
      preparedStatements?: boolean
      /** Where a replica taken out of (or back into) rotation is reported. */
      logger?: Pick<Logger, 'warn' | 'info'>
    }
  | {
      engine: 'pglite'
      dataDir: string | undefined
      /** A data-directory tarball to start from (tests copy a migrated template this way). */
      loadDataDir?: Blob
    }

// int8 (counts, sums) as JS numbers on both engines; values stay far below 2^53 here.
const INT8 = 20
const NUMERIC = 1700

function pgPool(url: string, max: number): pg.Pool {
  const parsers: Record<number, (v: string) => unknown> = { [INT8]: Number, [NUMERIC]: Number }
  return new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  })
}

function openPostgres(options: Extract<OpenDatabaseOptions, { engine: 'postgres' }>): Database {
  const { url, replicaUrls = [], poolSize = 10, preparedStatements = true, logger } = options
  const pool = pgPool(url, poolSize)
  const replicaPools = replicaUrls.map((u) => pgPool(u, poolSize))
  // A pool error (a server restart) must not crash the process: the next query reconnects. A
  // checked-out client whose connection breaks emits it too; its query rejects on its own.
  for (const p of [pool, ...replicaPools]) {
    p.on('error', () => {})
    p.on('connect', (client) => {
      client.on('error', () => {})
      if (preparedStatements) prepareStatements(client)
    })
  }
  const queries = queryListeners()
  const db = new Kysely({
    dialect: tracedDialect(new PostgresDialect({ pool }), 'postgres'),
    log: queries.log,
  })
  // A replica that cannot be reached hands out primary connections until it answers again.
  const replicas = replicaPools.map(
    (p) =>
      new Kysely({
        dialect: tracedDialect(
          new PostgresDialect({ pool: failoverPool(p, pool, logger) }),
          'postgres',
        ),
        log: queries.log,
      }),
  )
  let next = 0
  let closed = false
  return {
    engine: 'postgres',
    db,
    get read() {
      return replicas.length === 0 ? db : replicas[next++ % replicas.length]!
    },
    async executeSql(text, values) {
      const result = await pool.query(text, values as unknown[])
      const last = Array.isArray(result) ? result[result.length - 1] : result
      return { rows: last?.rows ?? [], rowCount: last?.rowCount ?? 0 }
    },
    async ping() {
      await sql`select 1`.execute(db)
    },
    onQuery: queries.onQuery,
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
    async close() {
      if (closed) return
      closed = true
      // Kysely ends a pool only if a query ever ran through it; close means closed either way.
      const pools = [pool, ...replicaPools]
      await Promise.all([db.destroy(), ...replicas.map((r) => r.destroy())])
      await Promise.all(pools.filter((p) => !p.ending).map((p) => p.end()))
    },
  }
}

async function openPGlite(dataDir: string | undefined, loadDataDir?: Blob): Promise<Database> {
  if (dataDir) mkdirSync(path.dirname(dataDir), { recursive: true })
  // On disk only: `<DATA_DIR>/db.lock` beside `<DATA_DIR>/db`. In memory (tests) nothing to share.
  const unlock = dataDir
    ? lockDataDir(path.join(path.dirname(dataDir), 'db.lock'), path.dirname(dataDir))
    : () => {}
  try {
    return await startPGlite(dataDir, loadDataDir, unlock)
  } catch (error) {
    unlock()
    throw error
  }
}

async function startPGlite(
  dataDir: string | undefined,
  loadDataDir: Blob | undefined,
  unlock: () => void,
): Promise<Database> {
  // A new database starts from initdb's output for this PGlite instead of running initdb.
  const initial =
    loadDataDir ?? (dataDir && holdsDatabase(dataDir) ? undefined : await initdbSnapshot())
  const pglite = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    ...(initial ? { loadDataDir: initial } : {}),
    extensions: { pg_trgm },
    // initdb's 128 MB of shared buffers grow the wasm memory (which never shrinks) far past what
    // the embedded catalog needs: 16 MB costs ~150 MB less RSS, same req/s (ADR 0013). The wasm
    // module refuses an initialMemory under its 128 MB default, so that one stays.
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
    parsers: { [INT8]: Number, [NUMERIC]: Number },
  })
  await pglite.waitReady
  const lock = new Mutex()
  const queries = queryListeners()
  const db = new Kysely({
    dialect: tracedDialect(new PGliteDialect(pglite, lock), 'pglite'),
    log: queries.log,
  })
  let closed = false
  return {
    engine: 'pglite',
    db,
    read: db,
    executeSql: (text, values) =>
      lock.run(async () => {
        if (!values || values.length === 0) {
          const results = await pglite.exec(text)
          const last = results[results.length - 1]
          return {
            rows: (last?.rows ?? []) as SqlResult['rows'],
            rowCount: last?.affectedRows ?? 0,
          }
        }
        const result = await pglite.query<Record<string, unknown>>(text, values)
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length }
      }),
    async ping() {
      if (closed) throw new Error('database is closed')
      await lock.run(() => pglite.query('select 1'))
    },
    onQuery: queries.onQuery,
    poolStats: () => ({
      total: 1,
      idle: lock.pending === 0 ? 1 : 0,
      waiting: Math.max(0, lock.pending - 1),
    }),
    async close() {
      if (closed) return
      closed = true
      await db.destroy()
      await lock.run(() => pglite.close()).finally(unlock)
    },
  }
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.engine === 'postgres'
    ? openPostgres(options)
    : openPGlite(options.dataDir, options.loadDataDir)
}

/** The database the configuration names: PostgreSQL when DATABASE_URL is set, else PGlite on disk. */
export function databaseOptions(config: {
  databaseUrl: string | undefined
  databaseReplicaUrls: readonly string[]
  databasePreparedStatements: boolean
  dataDir: string
}): OpenDatabaseOptions {
  return config.databaseUrl
    ? {
        engine: 'postgres',
        url: config.databaseUrl,
        replicaUrls: config.databaseReplicaUrls,
        preparedStatements: config.databasePreparedStatements,
      }
    : { engine: 'pglite', dataDir: path.join(config.dataDir, 'db') }
}
