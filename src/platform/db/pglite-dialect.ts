import type { PGlite } from '@electric-sql/pglite'
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'
import { type Mutex } from './mutex.js'

/**
 * PGlite is one connection. Kysely holds a connection for a whole transaction, so the driver
 * hands PGlite to one holder at a time (a FIFO lock): concurrent requests queue instead of
 * interleaving inside each other's transactions. A query issued on `db` while the same async
 * flow holds a transaction waits for itself: inside a transaction, touch only `trx`.
 */
export class PGliteDialect implements Dialect {
  readonly #driver: PGliteDriver

  constructor(pglite: PGlite, lock: Mutex) {
    this.#driver = new PGliteDriver(pglite, lock)
  }

  createAdapter() {
    return new PostgresAdapter()
  }
  createDriver(): Driver {
    return this.#driver
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler()
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db)
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(readonly pglite: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiled.sql, [...compiled.parameters])
    return {
      rows: result.rows,
      numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on PGlite')
  }
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection
  readonly #lock: Mutex
  readonly #releases = new Map<DatabaseConnection, () => void>()

  constructor(pglite: PGlite, lock: Mutex) {
    this.#connection = new PGliteConnection(pglite)
    this.#lock = lock
  }

  async init(): Promise<void> {
    await this.#connection.pglite.waitReady
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#lock.acquire()
    this.#releases.set(this.#connection, release)
    return this.#connection
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const release = this.#releases.get(connection)
    this.#releases.delete(connection)
    release?.()
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let sql = 'begin'
    if (settings.isolationLevel) sql += ` isolation level ${settings.isolationLevel}`
    if (settings.accessMode) sql += ` ${settings.accessMode}`
    await conn.executeQuery(CompiledQuery.raw(sql))
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'))
  }

  async destroy(): Promise<void> {
    // The owner of the PGlite instance closes it, after every user (jobs too) has stopped.
  }
}
