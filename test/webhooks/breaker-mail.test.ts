import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { productBody } from '../helpers/catalog.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { readMailDir, tempDataDir } from '../helpers/mailbox.js'
import { adminRequest, startReceiver, type Receiver } from './support.js'

const BASE = '/v1/admin/webhook-endpoints'

describe(`circuit breaker alert on ${engine}`, () => {
  let ctx: TestContext
  let receiver: Receiver
  let dataDir: Awaited<ReturnType<typeof tempDataDir>>

  before(async () => {
    dataDir = await tempDataDir()
    ctx = await createTestContext({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', DATA_DIR: dataDir.dir })
    await ctx.runtime.jobs.start({ work: false })
    receiver = await startReceiver()
  })
  after(async () => {
    await ctx.close()
    await receiver.close()
    await dataDir.cleanup()
  })

  test('when the breaker disables an endpoint, each admin gets one email through the outbox', async () => {
    const admin = await ctx.tokenFor('admin')
    await ctx.tokenFor('admin')
    const staff = await ctx.tokenFor('staff')
    const call = adminRequest(ctx, admin)
    const created = await call('POST', BASE, { url: receiver.url, events: ['product.created'] })
    const hook = created.json() as { id: string }
    for (let i = 0; i < 5; i++) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/v1/admin/products',
        headers: { authorization: `Bearer ${staff}` },
        payload: productBody(),
      })
      assert.equal(res.statusCode, 201, res.body)
    }
    await ctx.runtime.relay.drain()
    const list = (await call('GET', `${BASE}/${hook.id}/deliveries`)).json() as {
      data: { id: string }[]
    }
    assert.equal(list.data.length, 5)
    receiver.statuses.push(...Array<number>(5 * 8).fill(500))
    const { deliveries } = ctx.runtime.modules.webhooks
    for (const d of list.data) {
      for (let attempt = 0; attempt < 8; attempt++)
        await deliveries.deliver({ deliveryId: d.id, attempt })
    }
    assert.equal(
      ((await call('GET', `${BASE}/${hook.id}`)).json() as { enabled: boolean }).enabled,
      false,
    )
    assert.deepEqual(await readMailDir(dataDir.dir), [], 'nothing is mailed inside the transaction')

    await ctx.runtime.relay.drain()
    const admins = (
      await sql<{ email: string }>`select email from auth.user where role = 'admin'`.execute(
        ctx.database.db,
      )
    ).rows.map((r) => r.email)
    assert.equal(admins.length, 2)
    const mails = await readMailDir(dataDir.dir)
    assert.deepEqual(mails.map((m) => m.to).sort(), [...admins].sort())
    for (const mail of mails) {
      assert.equal(mail.subject, `Webhook endpoint disabled: ${receiver.url}`)
      assert.match(mail.body, new RegExp(`${hook.id}/enable`))
      assert.match(mail.body, /5 deliveries in a row failed/)
    }

    // The event delivered again (a relay crash before marking it): no second mail.
    await sql`update platform.outbox set published_at = null, lease_until = null
      where type = 'webhook_endpoint.disabled'`.execute(ctx.database.db)
    await ctx.runtime.relay.drain()
    assert.equal((await readMailDir(dataDir.dir)).length, 2)
  })
})
