import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely'
import { SpanKind, tracingEnabled, withSpan } from '../telemetry/tracing.js'

/**
 * `dialect` with a `db.query` span around each statement, when tracing is on (else `dialect`
 * itself). Statements run outside a trace (the relay's and the job queue's polling) make none.
 * The span carries the parameterized SQL, never the values.
 */
export function tracedDialect(dialect: Dialect, engine: 'pglite' | 'postgres'): Dialect {
  if (!tracingEnabled()) return dialect
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new TracedDriver(dialect.createDriver(), engine),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db: Kysely<unknown>) => dialect.createIntrospector(db),
  }
}

class TracedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    readonly engine: string,
  ) {}

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const attributes = {
      'db.system': 'postgresql',
      'db.system.name': 'postgresql',
      'emporium.db.engine': this.engine,
      'db.query.text': compiled.sql,
    }
    return withSpan('db.query', attributes, () => this.inner.executeQuery<R>(compiled), {
      kind: SpanKind.CLIENT,
      childOnly: true,
    })
  }

  streamQuery<R>(
    compiled: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiled, chunkSize)
  }
}

type Compile = QueryCompiler['compileQuery']

class TracedDriver implements Driver {
  constructor(
    readonly inner: Driver,
    readonly engine: string,
  ) {}

  init() {
    return this.inner.init()
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new TracedConnection(await this.inner.acquireConnection(), this.engine)
  }
  releaseConnection(connection: DatabaseConnection) {
    return this.inner.releaseConnection((connection as TracedConnection).inner)
  }
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    return this.inner.beginTransaction(connection, settings)
  }
  commitTransaction(connection: DatabaseConnection) {
    return this.inner.commitTransaction(connection)
  }
  rollbackTransaction(connection: DatabaseConnection) {
    return this.inner.rollbackTransaction(connection)
  }
  async savepoint(connection: DatabaseConnection, name: string, compile: Compile) {
    await this.inner.savepoint!(connection, name, compile)
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: Compile) {
    await this.inner.rollbackToSavepoint!(connection, name, compile)
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: Compile) {
    await this.inner.releaseSavepoint!(connection, name, compile)
  }
  destroy() {
    return this.inner.destroy()
  }
}
