import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { eventually } from './support.js'

interface Queue {
  name: string
  schedule: {
    cron: string
    timezone: string
    lastRunAt: string | null
    nextRunAt: string | null
  } | null
  counts: Record<string, number>
}
interface FailedJob {
  id: string
  queue: string
  data: unknown
  error: string | null
  failedAt: string
}
interface Overview {
  queues: Queue[]
  failed: { data: FailedJob[]; page: { nextCursor: string | null; hasMore: boolean } }
}

describe(`GET /v1/admin/jobs on ${engine}`, () => {
  let ctx: TestContext
  let admin: string
  const failing = `test.always-fails-${uniqueSuffix()}`
  const fine = `test.fine-${uniqueSuffix()}`

  before(async () => {
    ctx = await createTestContext()
    ctx.runtime.jobs.define<{ n: number }>({
      name: failing,
      retryLimit: 0,
      handler: async ({ n }) => {
        throw new Error(`job number ${n} broke`)
      },
    })
    ctx.runtime.jobs.define({ name: fine, handler: async () => {} })
    await ctx.runtime.jobs.start({ work: true })
    admin = await ctx.tokenFor('admin')
  })
  after(() => ctx.close())

  const get = async (query = '', token = admin) =>
    ctx.app.inject({
      method: 'GET',
      url: `/v1/admin/jobs${query}`,
      headers: { authorization: `Bearer ${token}` },
    })

  test('lists every schedule with its cron and next run, and counts jobs per queue', async () => {
    await ctx.runtime.jobs.send(fine, {})
    await ctx.runtime.jobs.send('platform.prune-outbox', {})
    const overview = await eventually(
      async () => {
        const body = (await get()).json() as Overview
        const q = body.queues.find((x) => x.name === fine)
        return q && q.counts.completed === 1 ? body : undefined
      },
      { timeoutMs: 20_000, what: 'the job to complete' },
    )
    const release = overview.queues.find((q) => q.name === 'inventory.release-expired')
    assert.equal(release?.schedule?.cron, '* * * * *')
    assert.equal(release?.schedule?.timezone, 'UTC')
    const next = Date.parse(release!.schedule!.nextRunAt!)
    assert.ok(next > Date.now() - 1000 && next <= Date.now() + 61_000, 'next run within a minute')
    const prune = overview.queues.find((q) => q.name === 'platform.prune-outbox')
    assert.equal(prune?.schedule?.cron, '17 3 * * *')
    assert.ok(prune?.schedule?.lastRunAt, 'its newest job is its last run')
    assert.equal(overview.queues.find((q) => q.name === fine)?.schedule, null)
    for (const q of overview.queues) {
      assert.deepEqual(Object.keys(q.counts).sort(), [
        'active',
        'cancelled',
        'completed',
        'created',
        'failed',
        'retry',
      ])
    }
  })

  test('failed jobs come with their error, newest first, paged with a cursor', async () => {
    for (const n of [1, 2, 3]) await ctx.runtime.jobs.send(failing, { n })
    await eventually(
      async () => {
        const q = ((await get()).json() as Overview).queues.find((x) => x.name === failing)
        return q?.counts.failed === 3
      },
      { timeoutMs: 30_000, what: 'three failed jobs' },
    )
    const first = (await get('?limit=2')).json() as Overview
    assert.equal(first.failed.data.length, 2)
    assert.equal(first.failed.page.hasMore, true)
    const cursor = encodeURIComponent(first.failed.page.nextCursor!)
    const second = (await get(`?limit=2&cursor=${cursor}`)).json() as Overview
    assert.equal(second.failed.page.hasMore, false)
    const all = [...first.failed.data, ...second.failed.data]
    assert.equal(all.length, 3)
    assert.equal(new Set(all.map((j) => j.id)).size, 3)
    assert.deepEqual(all.map((j) => (j.data as { n: number }).n).sort(), [1, 2, 3])
    for (const job of all) {
      assert.equal(job.queue, failing)
      assert.equal(job.error, `job number ${(job.data as { n: number }).n} broke`)
    }
    const times = all.map((j) => Date.parse(j.failedAt))
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      'most recent failure first',
    )
  })

  test('is for admins only (jobs:read), and a foreign cursor is a 400', async () => {
    assert.equal((await get('', await ctx.tokenFor('staff'))).statusCode, 403)
    assert.equal((await ctx.app.inject({ method: 'GET', url: '/v1/admin/jobs' })).statusCode, 401)
    const bad = await get('?cursor=bm90LWEtY3Vyc29y')
    assert.equal(bad.statusCode, 400)
    assert.equal((bad.json() as { code: string }).code, 'invalid_cursor')
  })
})
