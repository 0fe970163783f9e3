import { sql, type Kysely, type Transaction } from 'kysely'
import { backupLines, readSummary, type BackupSummary } from './backup-file.js'
import {
  appliedMigrations,
  BackupError,
  backupSequences,
  backupTables,
  qualified,
  relation,
  type BackupTable,
} from './backup-tables.js'
import type { Database } from './database.js'
import { createMigrator, migrateTo, migrationNames, type MigrationSet } from './migrations.js'

/**
 * `npm run restore -- <file> [--force]`: loads a backup (src/platform/db/backup.ts) into a store
 * on either engine. The file is read through once first, so a truncated or foreign file changes
 * nothing; the store is migrated to exactly the backup's migration level; then every row goes in
 * within one transaction, with foreign-key triggers off (session_replication_role = replica) so
 * that neither table order nor self-references matter, and the sequences are set last.
 */

export interface RestoreOptions {
  /** Every migration this build knows (the composition's). */
  migrations: MigrationSet[]
  /** Replace a store that holds data (its tables are emptied in the restoring transaction). */
  force?: boolean
}

export interface RestoreResult {
  tables: number
  rows: number
  sequences: number
  counts: Record<string, number>
  /** The migration steps run to reach the backup's level. */
  migrated: string[]
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Trx = Transaction<any>

/** The backup's migrations must be the first of this build's, in order. */
function checkMigrations(file: string, backupOf: string[], known: string[]): void {
  const unknown = backupOf.filter((name) => !known.includes(name))
  if (unknown.length > 0)
    throw new BackupError(
      `${file} was taken at a newer schema: this build does not know migration(s) ${unknown.join(', ')}`,
    )
  if (backupOf.some((name, i) => known[i] !== name))
    throw new BackupError(`${file} records migrations that are not a prefix of this build's`)
}

async function tablesWithData(db: Db): Promise<string[]> {
  if ((await appliedMigrations(db)).length === 0) return []
  const full: string[] = []
  for (const table of await backupTables(db)) {
    const found = await sql<{ any: boolean }>`
      select exists (select 1 from ${relation(qualified(table))}) as any`.execute(db)
    if (found.rows[0]?.any) full.push(qualified(table))
  }
  return full
}

/** Up to ~30,000 parameters a statement (PostgreSQL allows 65,535). */
function rowsPerInsert(columns: number): number {
  return Math.max(1, Math.min(500, Math.floor(30_000 / Math.max(1, columns))))
}

async function insertRows(
  trx: Trx,
  table: BackupTable,
  columns: string[],
  rows: (string | null)[][],
) {
  if (rows.length === 0) return
  const types = columns.map((name) => {
    const column = table.columns.find((c) => c.name === name)
    if (!column) throw new BackupError(`the store's ${qualified(table)} has no column ${name}`)
    return sql.raw(column.type)
  })
  const values = rows.map(
    (row) => sql`(${sql.join(row.map((value, i) => sql`${value}::text::${types[i]!}`))})`,
  )
  await sql`insert into ${relation(qualified(table))} (${sql.join(columns.map((c) => sql.id(c)))})
    values ${sql.join(values)}`.execute(trx)
}

async function setSequence(
  trx: Trx,
  name: string,
  value: string,
  called: boolean,
  known: string[],
) {
  if (!known.includes(name)) throw new BackupError(`the store has no sequence ${name}`)
  await sql`select setval(${name}::text::regclass, ${value}::text::bigint, ${called})`.execute(trx)
}

/** Streams the file's rows into the store (second read; the summary already vouched for it). */
async function load(trx: Trx, file: string, result: RestoreResult): Promise<void> {
  const tables = new Map((await backupTables(trx)).map((t) => [qualified(t), t]))
  const sequences = await backupSequences(trx)
  let current: { table: BackupTable; columns: string[]; rows: (string | null)[][] } | undefined
  const flush = async () => {
    if (!current) return
    await insertRows(trx, current.table, current.columns, current.rows)
    current.rows = []
  }
  for await (const line of backupLines(file)) {
    if (line.kind === 'table') {
      await flush()
      const table = tables.get(line.table)
      if (!table) throw new BackupError(`the store has no table ${line.table}`)
      current = { table, columns: line.columns, rows: [] }
      result.counts[line.table] = 0
      result.tables++
    } else if (line.kind === 'row' && current) {
      current.rows.push(line.values)
      result.counts[qualified(current.table)]!++
      result.rows++
      if (current.rows.length >= rowsPerInsert(current.columns.length)) await flush()
    } else if (line.kind === 'sequence') {
      await flush()
      await setSequence(trx, line.sequence, line.value, line.called, sequences)
      result.sequences++
    }
  }
  await flush()
}

async function replicaRole(trx: Trx): Promise<void> {
  try {
    await sql`set local session_replication_role = replica`.execute(trx)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new BackupError(
      `restore needs a superuser connection (to set session_replication_role): ${message}`,
    )
  }
}

/** Restores `file` into `database`; see the module comment for the steps. */
export async function restore(
  database: Database,
  file: string,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const summary: BackupSummary = await readSummary(file)
  checkMigrations(file, summary.header.migrations, migrationNames(options.migrations))
  const db: Db = database.db
  const full = await tablesWithData(db)
  if (full.length > 0 && !options.force)
    throw new BackupError(
      `the store is not empty (${full.slice(0, 5).join(', ')}${full.length > 5 ? ', …' : ''}): restore into an empty store, or pass --force to replace its data`,
    )
  const result: RestoreResult = { tables: 0, rows: 0, sequences: 0, counts: {}, migrated: [] }
  result.migrated = await migrateTo(
    createMigrator(db, options.migrations),
    summary.header.migrations,
  )
  await db.transaction().execute(async (trx) => {
    await replicaRole(trx)
    const tables = await backupTables(trx)
    if (options.force && tables.length > 0)
      await sql`truncate ${sql.join(tables.map((t) => relation(qualified(t))))}`.execute(trx)
    await load(trx, file, result)
    if (result.rows !== summary.rows)
      throw new BackupError(`${file} changed while restoring: nothing restored`)
  })
  return result
}
