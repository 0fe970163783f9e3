import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { sql, type Kysely, type Transaction } from 'kysely'
import {
  appliedMigrations,
  BACKUP_FORMAT,
  BACKUP_VERSION,
  backupSequences,
  backupTables,
  qualified,
  relation,
  type BackupHeader,
  type BackupTable,
} from './backup-tables.js'
import type { Database } from './database.js'

/**
 * `npm run backup -- <file>`: a logical export of Emporium's tables, the same gzip NDJSON on both
 * engines (docs/operations.md#backups). Line 1 is the header; each table is a
 * `{"table","columns"}` line followed by one JSON array per row, every value in PostgreSQL's text
 * form (null stays null); then the sequences, then `{"end":true,"tables":N,"rows":M}`. The whole
 * export reads one REPEATABLE READ snapshot, so it is consistent while the store keeps serving.
 */

export interface BackupOptions {
  /** Rows per query (keyset pages on the primary key). */
  batchSize?: number
}

export interface BackupResult {
  file: string
  tables: number
  rows: number
  /** Rows per table, by `schema.name`. */
  counts: Record<string, number>
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Trx = Transaction<any>
type Row = (string | null)[]

function line(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value)}\n`)
}

/**
 * One page of `table` after `after` (the last row's key values, as text): ordered by the whole
 * primary key and compared as a row value in the key's own types, so pages neither skip nor
 * repeat a row whatever the key (a table without one pages by ctid, stable within the snapshot).
 */
async function page(trx: Trx, table: BackupTable, after: Row | undefined, limit: number) {
  const keyed = table.key.length > 0
  const values = table.columns.map((c, i) => sql`${sql.id(c.name)}::text as ${sql.id(`c${i}`)}`)
  if (!keyed) values.push(sql`ctid::text as ${sql.id('ctid')}`)
  const order = keyed ? sql.join(table.key.map((k) => sql.id(k.name))) : sql`ctid`
  const bound = keyed
    ? sql.join(table.key.map((k, i) => sql`${after?.[i] ?? null}::text::${sql.raw(k.type)}`))
    : sql`${after?.[0] ?? null}::text::tid`
  const where = after ? sql`where (${order}) > (${bound})` : sql``
  const result = await sql<Record<string, string | null>>`
    select ${sql.join(values)} from ${relation(qualified(table))}
    ${where} order by ${order} limit ${limit}`.execute(trx)
  return result.rows.map((r) => ({
    values: table.columns.map((_, i) => r[`c${i}`] ?? null),
    ctid: r.ctid ?? null,
  }))
}

async function* tableLines(
  trx: Trx,
  table: BackupTable,
  batch: number,
  counts: BackupResult['counts'],
) {
  yield line({ table: qualified(table), columns: table.columns.map((c) => c.name) })
  const keyAt = table.key.map((k) => table.columns.findIndex((c) => c.name === k.name))
  let count = 0
  let after: Row | undefined
  for (;;) {
    const rows = await page(trx, table, after, batch)
    for (const row of rows) yield line(row.values)
    count += rows.length
    if (rows.length < batch) break
    const last = rows[rows.length - 1]!
    after = table.key.length > 0 ? keyAt.map((i) => last.values[i] ?? null) : [last.ctid]
  }
  counts[qualified(table)] = count
}

async function sequenceLines(trx: Trx) {
  const lines: Buffer[] = []
  for (const name of await backupSequences(trx)) {
    const found = await sql<{ value: string; called: boolean }>`
      select last_value::text as value, is_called as called from ${relation(name)}`.execute(trx)
    const { value, called } = found.rows[0]!
    lines.push(line({ sequence: name, value, called }))
  }
  return lines
}

async function* backupLines(trx: Trx, engine: string, batch: number, result: BackupResult) {
  const header: BackupHeader = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    engine,
    migrations: await appliedMigrations(trx),
  }
  yield line(header)
  const tables = await backupTables(trx)
  for (const table of tables) yield* tableLines(trx, table, batch, result.counts)
  yield* await sequenceLines(trx)
  result.tables = tables.length
  result.rows = Object.values(result.counts).reduce((a, b) => a + b, 0)
  yield line({ end: true, tables: result.tables, rows: result.rows })
}

/** Writes the backup to `<file>.tmp`, then renames it to `file`: a file there is always whole. */
export async function backup(
  database: Database,
  file: string,
  options: BackupOptions = {},
): Promise<BackupResult> {
  const batch = options.batchSize ?? 1000
  const result: BackupResult = { file, tables: 0, rows: 0, counts: {} }
  const scratch = `${file}.tmp`
  const db: Kysely<unknown> = database.db
  try {
    await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const lines = backupLines(trx, database.engine, batch, result)
        await pipeline(Readable.from(lines), createGzip(), createWriteStream(scratch))
      })
    await rename(scratch, file)
  } catch (error) {
    await rm(scratch, { force: true })
    throw error
  }
  return result
}
