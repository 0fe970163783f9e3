import { sql, type Kysely } from 'kysely'

/**
 * What a backup holds: every table of the schemas Emporium's modules own, in foreign-key order.
 * Left out: PostgreSQL's own schemas, pg-boss's queue (jobs and schedules are recreated by the
 * processes) and the migrator's bookkeeping, which a restore rebuilds by migrating.
 */
export const BACKUP_FORMAT = 'emporium-backup'
export const BACKUP_VERSION = 1

/** The first line of a backup file. */
export interface BackupHeader {
  format: string
  version: number
  createdAt: string
  engine: string
  migrations: string[]
}

/** A backup that cannot be taken or restored: the CLI prints the message alone. */
export class BackupError extends Error {
  override name = 'BackupError'
}

export interface TableColumn {
  name: string
  /** The column's type as SQL (`numeric(12,2)`, `text[]`): restore casts the text back to it. */
  type: string
}

export interface BackupTable {
  schema: string
  name: string
  columns: TableColumn[]
  /** The primary key's columns, in key order; empty when the table has none (paged by ctid). */
  key: TableColumn[]
}

const SKIPPED_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast', 'pgboss']
const BOOKKEEPING = ['platform.migration', 'platform.migration_lock']

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>

export function qualified(table: { schema: string; name: string }): string {
  return `${table.schema}.${table.name}`
}

async function tableNames(db: Db): Promise<string[]> {
  const found = await sql<{ schema: string; name: string }>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not like 'pg\\_%'
      and table_schema not in (${sql.join(SKIPPED_SCHEMAS)})
    order by 1, 2`.execute(db)
  return found.rows.map(qualified).filter((name) => !BOOKKEEPING.includes(name))
}

/** Stored columns only: a generated column (catalog.product.search) is computed again. */
async function columnsOf(db: Db, schema: string, name: string): Promise<BackupTable> {
  const relation = sql`(quote_ident(${schema}) || '.' || quote_ident(${name}))::regclass`
  const columns = await sql<TableColumn>`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
    from pg_attribute a
    where a.attrelid = ${relation} and a.attnum > 0 and not a.attisdropped
      and a.attgenerated = ''
    order by a.attnum`.execute(db)
  const key = await sql<TableColumn>`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
    from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = ${relation} and i.indisprimary
    order by array_position(i.indkey::int2[], a.attnum)`.execute(db)
  return { schema, name, columns: columns.rows, key: key.rows }
}

/** Each table's parents (the tables its foreign keys point at), itself excluded. */
async function parentsOf(db: Db): Promise<Map<string, Set<string>>> {
  const found = await sql<{ child: string; parent: string }>`
    select cn.nspname || '.' || c.relname as child, pn.nspname || '.' || p.relname as parent
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_namespace cn on cn.oid = c.relnamespace
    join pg_class p on p.oid = k.confrelid join pg_namespace pn on pn.oid = p.relnamespace
    where k.contype = 'f'`.execute(db)
  const parents = new Map<string, Set<string>>()
  for (const { child, parent } of found.rows) {
    if (child === parent) continue
    const set = parents.get(child) ?? new Set<string>()
    set.add(parent)
    parents.set(child, set)
  }
  return parents
}

/** Parents before children (Kahn's algorithm, by name among equals); a cycle goes last, by name. */
export function dependencyOrder(names: string[], parents: Map<string, Set<string>>): string[] {
  const pending = new Set(names)
  const ordered: string[] = []
  for (;;) {
    const ready = [...pending]
      .filter((name) => [...(parents.get(name) ?? [])].every((p) => !pending.has(p)))
      .sort()
    if (ready.length === 0) break
    for (const name of ready) {
      ordered.push(name)
      pending.delete(name)
    }
  }
  return [...ordered, ...[...pending].sort()]
}

/** Every table a backup holds, parents before children. */
export async function backupTables(db: Db): Promise<BackupTable[]> {
  const names = await tableNames(db)
  const order = dependencyOrder(names, await parentsOf(db))
  const tables: BackupTable[] = []
  for (const name of order) {
    const [schema, table] = name.split('.') as [string, string]
    tables.push(await columnsOf(db, schema, table))
  }
  return tables
}

/** The sequences of the same schemas (orders.order_number_seq, platform.outbox_position_seq). */
export async function backupSequences(db: Db): Promise<string[]> {
  const found = await sql<{ name: string }>`
    select sequence_schema || '.' || sequence_name as name from information_schema.sequences
    where sequence_schema not like 'pg\\_%' and sequence_schema not in (${sql.join(SKIPPED_SCHEMAS)})
    order by 1`.execute(db)
  return found.rows.map((r) => r.name)
}

/** The migrations the database records as applied, by name; none on an empty database. */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const found = await sql<{ table: string | null }>`
    select to_regclass('platform.migration')::text as table`.execute(db)
  if (!found.rows[0]?.table) return []
  const rows = await sql<{ name: string }>`select name from platform.migration order by name`
  return (await rows.execute(db)).rows.map((r) => r.name)
}

/** A schema-qualified name as SQL, each part quoted. */
export function relation(name: string) {
  const [schema, table] = name.split('.') as [string, string]
  return sql.id(schema, table)
}
