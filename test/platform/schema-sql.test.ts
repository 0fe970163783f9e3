import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import type { Database } from '../../src/platform/db/database.js'
import {
  createMigrator,
  migrateUp,
  migrationNames,
  migrationStatus,
  type MigrationSet,
} from '../../src/platform/db/migrations.js'
import { applySchemaSql, schemaSqlMigrations } from '../../src/platform/db/schema-sql.js'
import { generateSchemaSql } from '../../src/platform/db/schema-sql.generate.js'
import { allMigrations } from '../../src/composition.js'
import { engine, openTestDatabase } from '../helpers/context.js'

const schemaFile = readFileSync(new URL('../../src/schema.sql', import.meta.url), 'utf8')
const names = migrationNames(allMigrations)

const opened: { database: Database; drop: () => Promise<void> }[] = []
async function fresh(): Promise<Database> {
  const handle = await openTestDatabase()
  opened.push(handle)
  return handle.database
}
after(async () => {
  for (const { database, drop } of opened) {
    await database.close()
    await drop()
  }
})

/** Every rows list of the catalog queries below, by name: what "the same schema" compares. */
const catalogQueries = {
  schemas: sql`select nspname from pg_namespace where nspname not like 'pg\\_%'
    and nspname <> 'information_schema' order by 1`,
  columns: sql`select table_schema, table_name, column_name, ordinal_position, data_type,
      udt_name, is_nullable, column_default, character_maximum_length, numeric_precision,
      numeric_scale, is_identity, is_generated, generation_expression
    from information_schema.columns
    where table_schema not in ('pg_catalog', 'information_schema') order by 1, 2, 4`,
  tables: sql`select table_schema, table_name, table_type from information_schema.tables
    where table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`,
  indexes: sql`select schemaname, tablename, indexname, indexdef from pg_indexes
    where schemaname not in ('pg_catalog', 'information_schema') order by 1, 2, 3`,
  constraints: sql`select n.nspname, c.conrelid::regclass::text as rel, c.conname, c.contype,
      pg_get_constraintdef(c.oid) as def
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where n.nspname not in ('pg_catalog', 'information_schema') order by 1, 2, 3`,
  sequences: sql`select schemaname, sequencename, data_type::text, start_value, min_value,
      max_value, increment_by, cycle, cache_size, last_value
    from pg_sequences order by 1, 2`,
  functions: sql`select n.nspname, p.proname, pg_get_functiondef(p.oid) as def
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname not in ('pg_catalog', 'information_schema') order by 1, 2, 3`,
  triggers: sql`select tgrelid::regclass::text as rel, tgname, pg_get_triggerdef(oid) as def
    from pg_trigger where not tgisinternal order by 1, 2`,
  views: sql`select schemaname, viewname, definition from pg_views
    where schemaname not in ('pg_catalog', 'information_schema') order by 1, 2`,
  types: sql`select n.nspname, t.typname, t.typtype,
      (select string_agg(e.enumlabel, ',' order by e.enumsortorder)
        from pg_enum e where e.enumtypid = t.oid) as labels
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
      and t.typtype in ('e', 'd', 'c') and t.typrelid = 0 order by 1, 2`,
  extensions: sql`select extname, extversion from pg_extension order by 1`,
}

async function describeSchema(database: Database): Promise<Record<string, unknown[]>> {
  const described: Record<string, unknown[]> = {}
  for (const [name, query] of Object.entries(catalogQueries)) {
    described[name] = (await query.execute(database.db)).rows
  }
  return described
}

describe(`schema.sql on ${engine}`, () => {
  let migrated: Database
  before(async () => {
    migrated = await fresh()
    await migrateUp(createMigrator(migrated.db, allMigrations))
  })

  test('src/schema.sql is what the migrations execute today (regenerate it after a change)', async () => {
    assert.deepEqual(schemaSqlMigrations(schemaFile), names, 'it holds every migration in order')
    assert.equal(
      await generateSchemaSql(allMigrations),
      schemaFile,
      'run `npx tsx scripts/generate-schema.ts`',
    )
  })

  test('a fresh database built from it has the schema the migrations build one by one', async () => {
    const database = await fresh()
    assert.deepEqual(await applySchemaSql(database, schemaFile, allMigrations), names)
    const migrator = createMigrator(database.db, allMigrations)
    assert.deepEqual(await migrateUp(migrator), [], 'every migration is recorded as applied')
    const status = await migrationStatus(migrator)
    assert.deepEqual(
      status.map((m) => m.name),
      names,
    )
    assert.ok(status.every((m) => m.executedAt instanceof Date))

    const expected = await describeSchema(migrated)
    assert.ok(expected.tables!.length > 20 && expected.indexes!.length > 20)
    assert.deepEqual(await describeSchema(database), expected)
  })

  test('a migration newer than the file still runs through the migrator afterwards', async () => {
    const database = await fresh()
    const newer: MigrationSet = {
      '2099_01_01_0000_create_probe': {
        up: async (db) => {
          await db.schema.createTable('platform.probe').addColumn('id', 'text').execute()
        },
      },
    }
    const sets = [...allMigrations, newer]
    assert.deepEqual(await applySchemaSql(database, schemaFile, sets), names)
    assert.deepEqual(await migrateUp(createMigrator(database.db, sets)), [
      'up 2099_01_01_0000_create_probe',
    ])
    const probe = await sql`select to_regclass('platform.probe')::text as t`.execute(database.db)
    assert.deepEqual(probe.rows, [{ t: 'platform.probe' }])
  })

  test('a database migrated before, or a file out of step with the migrations, is left to the migrator', async () => {
    assert.deepEqual(await applySchemaSql(migrated, schemaFile, allMigrations), [])

    const database = await fresh()
    const stale = schemaFile.replace(
      `-- migration: ${names[0]}`,
      '-- migration: 2000_01_01_0000_gone',
    )
    assert.deepEqual(await applySchemaSql(database, stale, allMigrations), [])
    const removed = allMigrations.map((set) =>
      Object.fromEntries(Object.entries(set).filter(([name]) => name !== names[1])),
    )
    assert.deepEqual(await applySchemaSql(database, schemaFile, removed), [])
    const found = await sql`select to_regclass('platform.migration')::text as t`.execute(
      database.db,
    )
    assert.deepEqual(found.rows, [{ t: null }], 'nothing was created')
  })
})
