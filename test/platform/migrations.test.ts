import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import type { Database } from '../../src/platform/db/database.js'
import {
  createMigrator,
  isUpToDate,
  migrateDown,
  migrateUp,
  migrationNames,
  migrationStatus,
} from '../../src/platform/db/migrations.js'
import { allMigrations } from '../../src/composition.js'
import { engine, openTestDatabase } from '../helpers/context.js'

let database: Database
let drop: () => Promise<void>

before(async () => {
  ;({ database, drop } = await openTestDatabase())
})
after(async () => {
  await database.close()
  await drop()
})

const names = migrationNames(allMigrations)

/** Tables outside PostgreSQL's own schemas, as `schema.table`. */
async function userTables(): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select table_schema || '.' || table_name as name from information_schema.tables
    where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'
    order by 1`.execute(database.db)
  return result.rows.map((r) => r.name)
}

describe(`migrations on ${engine}`, () => {
  test('a database never migrated is not up to date', async () => {
    assert.equal(await isUpToDate(database.db, allMigrations), false)
  })

  test('up applies every migration in name order, down-all removes every table, up again restores them', async () => {
    assert.ok(names.length >= 4, 'the platform and each module contribute migrations')
    const migrator = createMigrator(database.db, allMigrations)

    const applied = await migrateUp(migrator)
    assert.deepEqual(
      applied,
      names.map((n) => `up ${n}`),
    )
    const status = await migrationStatus(migrator)
    assert.deepEqual(
      status.map((m) => m.name),
      names,
    )
    assert.ok(
      status.every((m) => m.executedAt instanceof Date),
      'every migration is executed',
    )
    const tablesAfterUp = await userTables()
    assert.ok(tablesAfterUp.includes('catalog.product'))
    assert.ok(tablesAfterUp.includes('platform.outbox'))

    assert.deepEqual(await migrateUp(migrator), [], 'a second up has nothing to do')

    const reverted = await migrateDown(migrator, true)
    assert.deepEqual(
      reverted,
      [...names].reverse().map((n) => `down ${n}`),
    )
    assert.ok((await migrationStatus(migrator)).every((m) => m.executedAt === null))
    const product = await sql`
      select 1 from information_schema.tables
      where table_schema = 'catalog' and table_name = 'product'`.execute(database.db)
    assert.equal(product.rows.length, 0, 'catalog.product is gone')
    assert.deepEqual(
      await userTables(),
      ['platform.migration', 'platform.migration_lock'],
      'only the migrator’s own bookkeeping is left',
    )

    assert.deepEqual(
      await migrateUp(migrator),
      names.map((n) => `up ${n}`),
    )
    assert.deepEqual(await userTables(), tablesAfterUp)
  })

  test('down reverts only the newest migration', async () => {
    const migrator = createMigrator(database.db, allMigrations)
    await migrateUp(migrator)

    assert.deepEqual(await migrateDown(migrator), [`down ${names.at(-1)}`])
    const status = await migrationStatus(migrator)
    assert.equal(status.at(-1)?.executedAt, null)
    assert.ok(status.slice(0, -1).every((m) => m.executedAt !== null))

    assert.deepEqual(await migrateUp(migrator), [`up ${names.at(-1)}`])
  })

  test('up to date only while the database records exactly the known migrations (restarts skip the migrator)', async () => {
    const migrator = createMigrator(database.db, allMigrations)
    await migrateUp(migrator)
    assert.equal(await isUpToDate(database.db, allMigrations), true)

    const newer = { '2099_01_01_0000_create_probe': { up: async () => {} } }
    assert.equal(await isUpToDate(database.db, [...allMigrations, newer]), false, 'one to run')
    const fewer = Object.fromEntries(names.slice(0, -1).map((n) => [n, { up: async () => {} }]))
    assert.equal(await isUpToDate(database.db, [fewer]), false, 'one the code does not know')

    await migrateDown(migrator)
    assert.equal(await isUpToDate(database.db, allMigrations), false, 'one reverted')
    await migrateUp(migrator)
    assert.equal(await isUpToDate(database.db, allMigrations), true)
  })

  test('a badly named migration is refused before anything runs', () => {
    assert.throws(
      () => createMigrator(database.db, [{ create_things: { up: async () => {} } }]),
      /must look like YYYY_MM_DD_HHMM_verb_noun/,
    )
  })
})
