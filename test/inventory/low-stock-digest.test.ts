import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { NotificationJobs } from '../../src/modules/notifications/index.js'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { readMailDir, tempDataDir } from '../helpers/mailbox.js'

describe(`the low-stock digest on ${engine}`, () => {
  let ctx: TestContext
  let dataDir: Awaited<ReturnType<typeof tempDataDir>>

  before(async () => {
    dataDir = await tempDataDir()
    ctx = await createTestContext({ DATA_DIR: dataDir.dir })
  })
  after(async () => {
    await ctx.close()
    await dataDir.cleanup()
  })

  const digestJob = () => {
    const job = ctx.runtime.modules.notifications.runtime.jobs?.find(
      (j) => j.name === NotificationJobs.lowStockDigest,
    )
    assert.ok(job, 'the digest is a defined job')
    return job
  }

  test('mails staff and admins the variants at or below their threshold, and only those', async () => {
    const staff = await ctx.tokenFor('staff')
    await ctx.tokenFor('admin')
    await ctx.tokenFor('customer')
    const product = await createProduct(ctx, staff, {
      title: 'Linen Apron',
      variants: [
        { sku: 'APRON-LOW', onHand: 2, options: { size: 's' } },
        { sku: 'APRON-PLENTY', onHand: 50, options: { size: 'm' } },
        { sku: 'APRON-EDGE', onHand: 5, options: { size: 'l' } },
        { sku: 'APRON-RAISED', onHand: 100, options: { size: 'xl' } },
      ],
    })
    const [, , , raised] = product.variants
    const inventory = ctx.runtime.modules.inventory.service
    await inventory.updateLevel(raised!.id, { lowStockThreshold: 100 })
    const job = digestJob()
    assert.equal(job.schedule, '0 7 * * *')

    await job.handler({})

    const mails = await readMailDir(dataDir.dir)
    const digests = mails.filter((m) => m.subject.startsWith('Low stock'))
    assert.equal(digests.length, 2, 'one for the staff member, one for the admin')
    assert.ok(digests.every((m) => !/^customer-/.test(m.to)))
    assert.deepEqual(digests.map((m) => m.to.split('-')[0]).sort(), ['admin', 'staff'])
    for (const mail of digests) {
      assert.equal(mail.subject, 'Low stock: 3 variants at or below threshold')
      assert.match(mail.body, /APRON-LOW \(Linen Apron[^)]*\): 2 available, threshold 5/)
      assert.match(mail.body, /APRON-EDGE \(Linen Apron[^)]*\): 5 available, threshold 5/)
      assert.match(mail.body, /APRON-RAISED \(Linen Apron[^)]*\): 100 available, threshold 100/)
      assert.doesNotMatch(mail.body, /APRON-PLENTY/)
      // Least available first.
      assert.ok(mail.body.indexOf('APRON-LOW') < mail.body.indexOf('APRON-EDGE'))
    }
  })

  test('sends nothing when no variant is low', async () => {
    const inventory = ctx.runtime.modules.inventory.service
    const before = (await readMailDir(dataDir.dir)).length
    for (const level of await inventory.listLowStock(100)) {
      await inventory.updateLevel(level.variantId, { onHand: level.lowStockThreshold + 10 })
    }
    await digestJob().handler({})
    assert.equal((await readMailDir(dataDir.dir)).length, before)
  })
})
