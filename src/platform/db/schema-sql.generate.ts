import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { Kysely, type LogEvent } from 'kysely'
import type { MigrationSet } from './migrations.js'
import { Mutex } from './mutex.js'
import { PGliteDialect } from './pglite-dialect.js'
import { captureSchemaSql } from './schema-sql.js'

/**
 * src/schema.sql as the migrations make it today: they run one by one on an empty in-memory
 * PGlite whose queries are logged. Kysely compiles the same SQL for either engine.
 */
export async function generateSchemaSql(sets: MigrationSet[]): Promise<string> {
  const pglite = new PGlite({ extensions: { pg_trgm } })
  const log: LogEvent[] = []
  const db = new Kysely({
    dialect: new PGliteDialect(pglite, new Mutex()),
    log: (e) => {
      log.push(e)
    },
  })
  try {
    return await captureSchemaSql(db, log, sets)
  } finally {
    await db.destroy()
    await pglite.close()
  }
}
