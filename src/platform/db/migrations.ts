import {
  Migrator,
  NO_MIGRATIONS,
  sql,
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
} from 'kysely'

/**
 * Each module contributes migrations named `YYYY_MM_DD_HHMM_<verb>_<noun>`; names are global and
 * sort in time order across modules. Migrations are frozen once landed: fix forward.
 */
export type MigrationSet = Record<string, Migration>

export interface MigrationStatus {
  name: string
  executedAt: Date | null
}

function collect(sets: MigrationSet[]): MigrationProvider {
  const all: MigrationSet = {}
  for (const set of sets) {
    for (const [name, migration] of Object.entries(set)) {
      if (!/^\d{4}_\d{2}_\d{2}_\d{4}_[a-z0-9_]+$/.test(name)) {
        throw new Error(`migration name "${name}" must look like YYYY_MM_DD_HHMM_verb_noun`)
      }
      if (all[name]) throw new Error(`two migrations are named "${name}"`)
      all[name] = migration
    }
  }
  return { getMigrations: async () => all }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function createMigrator(db: Kysely<any>, sets: MigrationSet[]): Migrator {
  return new Migrator({
    db,
    provider: collect(sets),
    migrationTableSchema: 'platform',
    migrationTableName: 'migration',
    migrationLockTableName: 'migration_lock',
  })
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    const message = result.error instanceof Error ? result.error.message : String(result.error)
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${message}`)
  }
  return (result.results ?? []).map(
    (r) => `${r.direction === 'Up' ? 'up' : 'down'} ${r.migrationName}`,
  )
}

/** Every migration's name, in the order they run. */
export function migrationNames(sets: MigrationSet[]): string[] {
  return sets.flatMap((set) => Object.keys(set)).sort()
}

/**
 * True when the database records exactly the migrations of `sets` as applied. A restart then
 * skips the migrator, whose schema introspection alone costs ~0.6 s on PGlite; anything else
 * (a newer migration, one the code no longer knows) goes through the migrator as usual.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function isUpToDate(db: Kysely<any>, sets: MigrationSet[]): Promise<boolean> {
  const found = await sql<{ table: string | null }>`
    select to_regclass('platform.migration')::text as table`.execute(db)
  if (!found.rows[0]?.table) return false
  const recorded = await sql<{ name: string }>`select name from platform.migration`.execute(db)
  const names = recorded.rows.map((r) => r.name).sort()
  const known = migrationNames(sets)
  return names.length === known.length && names.every((name, i) => name === known[i])
}

export async function migrateUp(migrator: Migrator): Promise<string[]> {
  return unwrap(await migrator.migrateToLatest())
}

/**
 * Up or down to exactly the migrations `applied` (the first of this build's, in order; none: an
 * empty schema), as a backup being restored recorded them.
 */
export async function migrateTo(migrator: Migrator, applied: readonly string[]): Promise<string[]> {
  return unwrap(await migrator.migrateTo(applied.at(-1) ?? NO_MIGRATIONS))
}

/** One step down, or all the way down to an empty schema with `all`. */
export async function migrateDown(migrator: Migrator, all = false): Promise<string[]> {
  if (!all) return unwrap(await migrator.migrateDown())
  return unwrap(await migrator.migrateTo(NO_MIGRATIONS))
}

export async function migrationStatus(migrator: Migrator): Promise<MigrationStatus[]> {
  const list = await migrator.getMigrations()
  return list.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }))
}
