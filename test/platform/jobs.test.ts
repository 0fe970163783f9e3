import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import type { Database } from '../../src/platform/db/database.js'
import { createJobs, type Jobs } from '../../src/platform/jobs/jobs.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { engine, openTestDatabase, uniqueSuffix } from '../helpers/context.js'
import { eventually } from './support.js'

describe(`jobs on ${engine}`, () => {
  let database: Database
  let drop: () => Promise<void>
  let jobs: Jobs
  const logs: Record<string, unknown>[] = []
  const suffix = uniqueSuffix()
  const names = {
    echo: `test.echo-${suffix}`,
    flaky: `test.flaky-${suffix}`,
    nightly: `test.nightly-${suffix}`,
  }
  const echoed: unknown[] = []
  const flakyCalls: unknown[] = []

  before(async () => {
    ;({ database, drop } = await openTestDatabase())
    const logger = createLogger('warn', {
      write: (line: string) => void logs.push(JSON.parse(line)),
    })
    jobs = createJobs(database, logger)
    jobs.define<{ n: number }>({
      name: names.echo,
      handler: async (data) => void echoed.push(data),
    })
    jobs.define<{ n: number }>({
      name: names.flaky,
      retryLimit: 2,
      handler: async (data) => {
        flakyCalls.push(data)
        if (flakyCalls.length === 1) throw new Error('first attempt fails')
      },
    })
    jobs.define({ name: names.nightly, schedule: '17 3 * * *', handler: async () => {} })
    await jobs.start({ work: true })
  })
  after(async () => {
    await jobs.stop(5000)
    await database.close()
    await drop()
  })

  test('a sent job runs its handler with its data', { timeout: 30_000 }, async () => {
    const id = await jobs.send(names.echo, { n: 7 })
    assert.equal(typeof id, 'string')

    await eventually(() => echoed.length > 0, { timeoutMs: 15_000, what: 'the job to run' })
    assert.deepEqual(echoed, [{ n: 7 }])
  })

  test('a job whose handler throws is retried', { timeout: 30_000 }, async () => {
    await jobs.send(names.flaky, { n: 1 })

    await eventually(() => flakyCalls.length >= 2, { timeoutMs: 20_000, what: 'the retry' })
    assert.deepEqual(flakyCalls.slice(0, 2), [{ n: 1 }, { n: 1 }])
  })

  test('a defined schedule is registered in pg-boss at start', async () => {
    const result = await sql<{ name: string; cron: string; timezone: string }>`
      select name, cron, timezone from pgboss.schedule where name = ${names.nightly}`.execute(
      database.db,
    )
    assert.deepEqual(result.rows, [{ name: names.nightly, cron: '17 3 * * *', timezone: 'UTC' }])
  })
})
