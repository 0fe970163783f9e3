import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { gunzipSync, gzipSync } from 'node:zlib'
import { sql } from 'kysely'
import { loadConfig } from '../../src/config.js'
import { allMigrations } from '../../src/composition.js'
import { backup } from '../../src/platform/db/backup.js'
import {
  appliedMigrations,
  backupTables,
  qualified,
  relation,
} from '../../src/platform/db/backup-tables.js'
import { openDatabase, type Database } from '../../src/platform/db/database.js'
import { restore } from '../../src/platform/db/restore.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createRuntime, migrateDatabase, type Runtime } from '../../src/runtime.js'
import { cartWith, checkout, ADDRESS, stockedVariant, type OrderBody } from '../checkout/support.js'
import {
  createTestContext,
  engine,
  isolatedRedisKeys,
  openTestDatabase,
  type TestContext,
} from '../helpers/context.js'

const quiet = createLogger('warn', { write: () => {} })

/** The whole app on a database this test opened (a restored store), for requests against it. */
async function storeOn(database: Database, drop: () => Promise<void> = async () => {}) {
  const config = loadConfig({
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_DEFAULT: '100000/60',
    RATE_LIMIT_USER: '100000/60',
    ...isolatedRedisKeys(),
  })
  const runtime: Runtime = createRuntime(config, quiet, database)
  const app = await runtime.buildApp()
  await app.ready()
  return {
    app,
    runtime,
    database,
    async close() {
      await app.close()
      await runtime.relay.stop()
      await runtime.jobs.stop()
      await runtime.closeConnections()
      await database.close()
      await drop()
    },
  }
}
type Store = Awaited<ReturnType<typeof storeOn>>

/** Every row of every backed-up table, each value in text form, in key order. */
async function snapshot(database: Database): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {}
  for (const table of await backupTables(database.db)) {
    const columns = sql.join(table.columns.map((c) => sql`${sql.id(c.name)}::text`))
    const order = sql.join(
      (table.key.length ? table.key : table.columns).map((c) => sql.id(c.name)),
    )
    const found = await sql<Record<string, string | null>>`
      select ${columns} from ${relation(qualified(table))} order by ${order}`.execute(database.db)
    tables[qualified(table)] = found.rows.map((r) => Object.values(r))
  }
  return tables
}

let source: TestContext
let admin: string
let dir: string
const customers: string[] = []
const orders: OrderBody[] = []
const variants: string[] = []

async function placeOrder(ctx: Pick<TestContext, 'app'>, bearer?: string) {
  const lines = variants.map((variantId, i) => ({ variantId, quantity: i + 1 }))
  const shopper = await cartWith(ctx as TestContext, lines, bearer)
  const res = await checkout(ctx as TestContext, shopper)
  assert.equal(res.statusCode, 201, res.body)
  const { order } = res.json() as { order: OrderBody }
  assert.equal(order.status, 'paid')
  return order
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'emporium-backup-'))
  source = await createTestContext()
  admin = await source.tokenFor('admin')
  for (const price of [1250, 999, 4000])
    variants.push(await stockedVariant(source, admin, 40, price))
  for (let i = 0; i < 2; i++) {
    const token = await source.tokenFor('customer')
    const added = await source.as(token).post('/v1/me/addresses', ADDRESS)
    assert.equal(added.statusCode, 201, added.body)
    customers.push(token)
    orders.push(await placeOrder(source, token), await placeOrder(source, token))
  }
  orders.push(await placeOrder(source))
})
after(async () => {
  await source.close()
  await rm(dir, { recursive: true, force: true })
})

const fileAt = (name: string) => path.join(dir, name)
const adminGet = (store: Pick<TestContext, 'app'>, url: string) =>
  store.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } })

describe(`backup and restore (${engine})`, () => {
  test('the drill: a fresh store restored from a backup holds the same orders, customers and stock, and sells on', async () => {
    const file = fileAt('drill.ndjson.gz')
    const taken = await backup(source.database, file)
    assert.equal(taken.tables, Object.keys(taken.counts).length)
    assert.ok(taken.counts['orders.order']! >= 5 && taken.counts['auth.user']! >= 3)
    const expected = await snapshot(source.database)
    const fresh = await openTestDatabase({ migrated: false })
    const restored = await restore(fresh.database, file, { migrations: allMigrations })
    assert.deepEqual(restored.counts, taken.counts)
    assert.equal(restored.rows, taken.rows)
    assert.ok(restored.migrated.length > 0, 'the empty store was migrated to the backup level')
    assert.deepEqual(
      await appliedMigrations(fresh.database.db),
      await appliedMigrations(source.database.db),
    )
    assert.deepEqual(await snapshot(fresh.database), expected)

    const store = await storeOn(fresh.database, fresh.drop)
    try {
      for (const order of orders) {
        const [before, after] = await Promise.all([
          adminGet(source, `/v1/admin/orders/${order.id}`),
          adminGet(store, `/v1/admin/orders/${order.id}`),
        ])
        assert.equal(after.statusCode, 200, after.body)
        assert.deepEqual(after.json(), before.json())
      }
      for (const token of customers) {
        const mine = await store.app.inject({
          method: 'GET',
          url: '/v1/me/addresses',
          headers: { authorization: `Bearer ${token}` },
        })
        assert.equal(mine.statusCode, 200, 'the restored signing keys accept the old tokens')
        assert.deepEqual(mine.json(), (await source.as(token).get('/v1/me/addresses')).json())
      }
      for (const variantId of variants) {
        assert.deepEqual(
          await store.runtime.modules.inventory.service.getLevel(variantId),
          await source.runtime.modules.inventory.service.getLevel(variantId),
        )
      }
      const next = await placeOrder(store, customers[0])
      assert.ok(!orders.some((o) => o.id === next.id || o.number === next.number))
      const numbers = orders.map((o) => Number(o.number.slice(4)))
      assert.ok(Number(next.number.slice(4)) > Math.max(...numbers), 'the order sequence moved on')
    } finally {
      await store.close()
    }
  })

  test('a store that holds data is refused; --force replaces its data', async () => {
    const file = fileAt('force.ndjson.gz')
    await backup(source.database, file)
    const expected = await snapshot(source.database)
    const other = await createTestContext()
    try {
      await stockedVariant(other, await other.tokenFor('admin'), 3)
      const before = await snapshot(other.database)
      await assert.rejects(
        restore(other.database, file, { migrations: allMigrations }),
        /the store is not empty.*--force/,
      )
      assert.deepEqual(await snapshot(other.database), before, 'nothing changed')
      const forced = await restore(other.database, file, { migrations: allMigrations, force: true })
      assert.equal(forced.counts['orders.order'], orders.length)
      assert.deepEqual(await snapshot(other.database), expected)
    } finally {
      await other.close()
    }
  })

  test('a truncated file, another format or version, a newer schema and a non-backup file are refused, nothing changed', async () => {
    const file = fileAt('whole.ndjson.gz')
    await backup(source.database, file)
    const whole = await readFile(file)
    const lines = gunzipSync(whole).toString().split('\n')
    const header = JSON.parse(lines[0]!) as Record<string, unknown>
    const migrations = [...(header.migrations as string[]), '2099_01_01_0000_create_future']
    const future = { ...header, migrations }
    const cases: [string, Buffer, RegExp][] = [
      ['cut.gz', whole.subarray(0, Math.floor(whole.length / 2)), /truncated/],
      ['no-end.gz', gzipSync(lines.slice(0, -2).join('\n') + '\n'), /truncated/],
      [
        'other.gz',
        gzipSync(JSON.stringify({ ...header, format: 'pg_dump' }) + '\n'),
        /not an Emporium backup/,
      ],
      ['v2.gz', gzipSync(JSON.stringify({ ...header, version: 2 }) + '\n'), /format version 2/],
      ['notes.txt', Buffer.from('shopping list\n'), /not an Emporium backup/],
      [
        'newer.gz',
        gzipSync([JSON.stringify(future), ...lines.slice(1)].join('\n')),
        /does not know migration/,
      ],
      ['plain.json.gz', gzipSync('{"hello":"world"}\n'), /not an Emporium backup/],
    ]
    const empty = await openTestDatabase({ migrated: false })
    try {
      const before = await snapshot(source.database)
      for (const [name, content, message] of cases) {
        await writeFile(fileAt(name), content)
        for (const target of [empty.database, source.database]) {
          await assert.rejects(
            restore(target, fileAt(name), { migrations: allMigrations, force: true }),
            message,
            name,
          )
        }
      }
      assert.deepEqual(
        await appliedMigrations(empty.database.db),
        [],
        'the empty store was not even migrated',
      )
      assert.deepEqual(await snapshot(source.database), before, 'the full store is untouched')
    } finally {
      await empty.database.close()
      await empty.drop()
    }
  })

  test('tables of more rows than one batch round-trip whole, whatever the key', async () => {
    // Text keys whose order is not the insertion order, more than the default batch of 1000.
    await sql`insert into audit.entry (id, action, actor_type, detail)
      select md5(i::text), 'backup.test', 'system', jsonb_build_object('i', i)
      from generate_series(1, 2345) as i`.execute(source.database.db)
    const expected = await snapshot(source.database)
    for (const batchSize of [undefined, 7]) {
      const file = fileAt(`batch-${batchSize ?? 'default'}.ndjson.gz`)
      const taken = await backup(source.database, file, batchSize ? { batchSize } : {})
      assert.ok(taken.counts['audit.entry']! >= 2345)
      const fresh = await openTestDatabase({ migrated: true })
      try {
        await restore(fresh.database, file, { migrations: allMigrations })
        assert.deepEqual(
          await snapshot(fresh.database),
          expected,
          `batch size ${batchSize ?? 1000}`,
        )
      } finally {
        await fresh.database.close()
        await fresh.drop()
      }
    }
  })

  test('a backup of an embedded (PGlite) store restores into this engine, and back', async () => {
    const embedded = await openDatabase({ engine: 'pglite', dataDir: undefined })
    await migrateDatabase(embedded, quiet)
    const store: Store = await storeOn(embedded)
    const file = fileAt('embedded.ndjson.gz')
    try {
      const token = await (async () => {
        await store.runtime.modules.auth.service.createUser({
          email: 'ops@example.test',
          password: 'correct horse battery',
          name: 'Ops',
          role: 'admin',
        })
        const res = await store.app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email: 'ops@example.test', password: 'correct horse battery' },
        })
        return (res.json() as { accessToken: string }).accessToken
      })()
      const variantId = await stockedVariant(store as unknown as TestContext, token, 9)
      const shopper = await cartWith(store as unknown as TestContext, [{ variantId, quantity: 2 }])
      assert.equal((await checkout(store as unknown as TestContext, shopper)).statusCode, 201)
      const taken = await backup(embedded, file)
      const header = JSON.parse(
        gunzipSync(await readFile(file))
          .toString()
          .split('\n')[0]!,
      ) as { engine: string }
      assert.equal(header.engine, 'pglite')
      const expected = await snapshot(embedded)
      const target = await openTestDatabase({ migrated: true })
      try {
        const restored = await restore(target.database, file, { migrations: allMigrations })
        assert.equal(restored.rows, taken.rows)
        assert.deepEqual(await snapshot(target.database), expected)
      } finally {
        await target.database.close()
        await target.drop()
      }
    } finally {
      await store.close()
    }
    // And the other way: this engine's backup into a new embedded store.
    const back = await openDatabase({ engine: 'pglite', dataDir: undefined })
    try {
      const drill = fileAt('to-embedded.ndjson.gz')
      await backup(source.database, drill)
      await restore(back, drill, { migrations: allMigrations })
      assert.deepEqual(await snapshot(back), await snapshot(source.database))
    } finally {
      await back.close()
    }
  })
})
