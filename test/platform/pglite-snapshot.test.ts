import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { PGlite } from '@electric-sql/pglite'
import { openDatabase, type Database } from '../../src/platform/db/database.js'
import {
  holdsDatabase,
  initdbSnapshot,
  pgliteVersion,
  snapshotFile,
} from '../../src/platform/db/pglite-snapshot.js'

const dirs: string[] = []
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** What initdb decides: server version, encodings and locales, catalogs, configuration. */
async function facts(query: (text: string) => Promise<Record<string, unknown>[]>) {
  return {
    version: await query('select version()'),
    databases: await query(
      `select datname, pg_encoding_to_char(encoding) as encoding, datcollate, datctype,
        datistemplate, datallowconn from pg_database order by 1`,
    ),
    catalogs: await query(
      `select (select count(*) from pg_proc) as procs, (select count(*) from pg_class) as classes,
        (select count(*) from pg_type) as types, (select count(*) from pg_collation) as collations,
        (select count(*) from pg_ts_config) as ts_configs, (select count(*) from pg_authid) as roles`,
    ),
    // initdb's configuration files, not the running settings (openDatabase overrides some).
    configuration: await query(
      `select pg_read_file('postgresql.conf') as conf, pg_read_file('postgresql.auto.conf') as auto`,
    ),
  }
}

describe('PGlite initdb snapshot', () => {
  test('there is one for the installed PGlite (regenerate it after an upgrade)', () => {
    assert.ok(
      existsSync(snapshotFile()),
      `no ${path.basename(snapshotFile())}: run \`npx tsx scripts/generate-pglite-snapshot.ts\``,
    )
    assert.match(pgliteVersion(), /^\d+\.\d+\.\d+/)
  })

  test('hands its tarball over once, keeping nothing for a second read', async () => {
    const snapshot = await initdbSnapshot()
    assert.ok(snapshot)
    const tar = new Uint8Array(await snapshot.arrayBuffer())
    assert.ok(tar.byteLength > 1_000_000)
    assert.equal(Buffer.from(tar.subarray(257, 262)).toString(), 'ustar', 'a tar archive')
    await assert.rejects(snapshot.arrayBuffer(), /read already/)
  })

  test('an empty data directory starts from it as the database initdb creates', async () => {
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'emporium-snap-')), 'db')
    dirs.push(path.dirname(dataDir))
    const database: Database = await openDatabase({ engine: 'pglite', dataDir })
    let fromSnapshot
    try {
      assert.ok(holdsDatabase(dataDir), 'the data directory now holds a database')
      fromSnapshot = await facts(async (text) => (await database.executeSql(text)).rows)
      const buffers = await database.executeSql('show shared_buffers')
      assert.deepEqual(
        buffers.rows,
        [{ shared_buffers: '16MB' }],
        'the embedded database runs small',
      )
      await database.executeSql('create table probe (id int); insert into probe values (1)')
    } finally {
      await database.close()
    }

    const initdb = new PGlite()
    try {
      const expected = await facts(
        async (text) => (await initdb.query<Record<string, unknown>>(text)).rows,
      )
      assert.deepEqual(fromSnapshot, expected)
    } finally {
      await initdb.close()
    }

    const reopened = await openDatabase({ engine: 'pglite', dataDir })
    try {
      const rows = await reopened.executeSql('select id from probe')
      assert.deepEqual(rows.rows, [{ id: 1 }], 'a restart resumes it instead of starting over')
    } finally {
      await reopened.close()
    }
  })
})
