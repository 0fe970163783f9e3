import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Webhook } from 'standardwebhooks'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { tempDataDir } from '../helpers/mailbox.js'
import { startSmtp } from '../helpers/smtp.js'
import { queuedJobs, startReceiver, type Receiver } from '../webhooks/support.js'
import { moderate, writeReview } from './support.js'

describe(`review events, webhooks and the moderation mail on ${engine}`, () => {
  let ctx: TestContext
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let receiver: Receiver
  let data: Awaited<ReturnType<typeof tempDataDir>>

  before(async () => {
    smtp = await startSmtp()
    data = await tempDataDir()
    receiver = await startReceiver()
    ctx = await createTestContext({
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: 'Test Shop <shop@example.test>',
      DATA_DIR: data.dir,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    })
    await ctx.runtime.jobs.start({ work: false })
  })
  after(async () => {
    await ctx.close()
    await receiver.close()
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()))
    await data.cleanup()
  })

  test('review.created and review.published reach a subscribed endpoint; staff get an escaped mail', async () => {
    const admin = await ctx.tokenFor('admin')
    const staff = await ctx.tokenFor('staff')
    const staffEmail = ((await ctx.as(staff).get('/v1/me')).json() as { email: string }).email
    const hook = await ctx.as(admin).post('/v1/admin/webhook-endpoints', {
      url: receiver.url,
      events: ['review.created', 'review.published'],
    })
    assert.equal(hook.statusCode, 201, hook.body)
    const { id: endpointId, secret } = hook.json() as { id: string; secret: string }
    const product = await createProduct(ctx, staff)
    await ctx.runtime.relay.drain()

    const review = await writeReview(ctx, await ctx.tokenFor('customer'), product.id, {
      rating: 2,
      title: 'Not <b>great</b> & "loud"',
      body: 'Squeaks <script>alert(1)</script>',
    })
    await moderate(ctx, staff, review.id, 'published')
    await ctx.runtime.relay.drain()

    const mail = smtp.inbox.find(
      (m) => m.raw.includes(review.id) && m.to.includes(staffEmail.toLowerCase()),
    )
    assert.ok(mail, 'the moderation mail reached the staff member over SMTP')
    assert.match(mail.raw, /^Subject: A review awaits moderation \(2 stars\)$/m)
    assert.ok(mail.raw.includes('Squeaks <script>alert(1)</script>'), 'verbatim in the text part')
    assert.ok(mail.raw.includes('Squeaks &lt;script&gt;alert(1)&lt;/script&gt;'), 'escaped in HTML')
    assert.ok(mail.raw.includes('Not &lt;b&gt;great&lt;/b&gt; &amp; &quot;loud&quot;'))
    assert.ok(!/<script>alert\(1\)<\/script><\/p>/.test(mail.raw), 'no live markup in the HTML')

    const list = await ctx.as(admin).get(`/v1/admin/webhook-endpoints/${endpointId}/deliveries`)
    const deliveries = (list.json() as { data: { id: string; eventType: string }[] }).data
    assert.deepEqual(deliveries.map((d) => d.eventType).sort(), [
      'review.created',
      'review.published',
    ])
    const created = deliveries.find((d) => d.eventType === 'review.created')!
    const [job] = await queuedJobs(ctx, created.id)
    assert.ok(job)
    await ctx.runtime.modules.webhooks.deliveries.deliver(job.data as never)
    const got = receiver.received.at(-1)!
    const verified = new Webhook(secret).verify(
      got.body,
      got.headers as Record<string, string>,
    ) as {
      type: string
      data: { reviewId: string; productId: string; rating: number; status: string }
    }
    assert.equal(verified.type, 'review.created')
    assert.deepEqual(
      [verified.data.reviewId, verified.data.productId, verified.data.rating, verified.data.status],
      [review.id, product.id, 2, 'pending'],
    )
  })
})
