import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import type pg from 'pg'
import { loadConfig } from '../../src/config.js'
import { databaseOptions, openDatabase, type Database } from '../../src/platform/db/database.js'
import { preparable, prepareStatements, statementName } from '../../src/platform/db/prepared.js'
import { engine, openTestDatabase } from '../helpers/context.js'

/** A stand-in client that records what reaches its class's query (unit tests only). */
class FakeClient {
  calls: unknown[][] = []
  query(...args: unknown[]) {
    this.calls.push(args)
    return Promise.resolve({ rows: [] })
  }
}

function fake(max?: number) {
  const client = new FakeClient()
  prepareStatements(client as unknown as pg.ClientBase, max)
  return client
}

describe('prepared statements: which and how', () => {
  test('select/insert/update/delete/with are preparable; wildcards and other commands are not', () => {
    assert.ok(preparable('select "id" from "catalog"."product" where "id" = $1'))
    assert.ok(preparable('  insert into t (a) values ($1) returning "a"'))
    assert.ok(preparable('WITH x as (select 1) update t set a = 1'))
    assert.ok(preparable('delete from t where a = $1'))
    assert.ok(preparable('select count(*) from t'), 'count(*) keeps its result type')
    assert.ok(!preparable('select * from t'))
    assert.ok(!preparable('select distinct * from t'))
    assert.ok(!preparable('insert into t (a) values ($1) returning *'))
    assert.ok(!preparable('select "t".* from t'))
    assert.ok(!preparable('begin'))
    assert.ok(!preparable('commit'))
    assert.ok(!preparable('set local lock_timeout = 1000'))
  })

  test('a preparable statement goes out named after its text, the same name every time', () => {
    const client = fake()
    const text = 'select "a" from t where "b" = $1'
    void (client as unknown as pg.ClientBase).query(text, [1])
    void (client as unknown as pg.ClientBase).query(text, [2])
    assert.deepEqual(client.calls, [
      [{ name: statementName(text), text, values: [1] }],
      [{ name: statementName(text), text, values: [2] }],
    ])
    assert.notEqual(statementName(text), statementName(`${text} `))
  })

  test('without a values array, or for other commands, the call passes through untouched', () => {
    const client = fake() as unknown as pg.ClientBase & FakeClient
    const callback = () => {}
    void client.query('select "a" from t')
    void client.query('begin', [])
    void client.query({ text: 'select 1' } as never)
    void client.query('select "a" from t', undefined as never, callback as never)
    assert.deepEqual(client.calls, [
      ['select "a" from t', undefined],
      ['begin', []],
      [{ text: 'select 1' }, undefined],
      ['select "a" from t', undefined, callback],
    ])
  })

  test('past the cap a connection runs new statements unnamed, and keeps naming the ones it has', () => {
    const client = fake(2) as unknown as pg.ClientBase & FakeClient
    void client.query('select "a" from t where x = $1', [1])
    void client.query('select "b" from t where x = $1', [1])
    void client.query('select "c" from t where x = $1', [1])
    void client.query('select "a" from t where x = $1', [1])
    const named = client.calls.map((args) => typeof args[0] === 'object')
    assert.deepEqual(named, [true, true, false, true])
  })
})

describe(`prepared statements on ${engine}`, () => {
  let database: Database
  let drop: () => Promise<void>
  before(async () => {
    ;({ database, drop } = await openTestDatabase())
  })
  after(async () => {
    await database.close()
    await drop()
  })

  test('a connection prepares the statements it runs, once, and not the wildcard ones', async (t) => {
    if (engine !== 'postgres') return t.diagnostic('PostgreSQL only: PGlite runs in process')
    await database.db.connection().execute(async (db) => {
      for (const n of [1, 2, 3]) {
        const row = await sql<{ n: number }>`select ${n}::int as n`.execute(db)
        assert.equal(row.rows[0]?.n, n)
      }
      await sql`select * from pg_namespace where nspname = ${'public'}`.execute(db)
      const seen = await sql<{ statement: string }>`
        select statement from pg_prepared_statements order by prepare_time`.execute(db)
      const statements = seen.rows.map((r) => r.statement)
      assert.equal(statements.filter((s) => s === 'select $1::int as n').length, 1)
      assert.ok(!statements.some((s) => s.includes('*')), statements.join('\n'))
    })
  })

  test('DATABASE_PREPARED_STATEMENTS=false runs every statement unnamed', async (t) => {
    if (engine !== 'postgres') return t.diagnostic('PostgreSQL only: PGlite runs in process')
    const config = loadConfig({
      DATABASE_URL: process.env.DATABASE_URL,
      DATABASE_PREPARED_STATEMENTS: 'false',
    })
    assert.equal(config.databasePreparedStatements, false)
    const unnamed = await openDatabase(databaseOptions(config))
    try {
      await unnamed.db.connection().execute(async (db) => {
        await sql`select ${1}::int as n`.execute(db)
        const seen = await sql`select statement from pg_prepared_statements`.execute(db)
        assert.deepEqual(seen.rows, [])
      })
    } finally {
      await unnamed.close()
    }
  })
})
