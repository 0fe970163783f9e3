import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createMailer } from '../../src/platform/mail/mailer.js'
import { escapeHtml, renderMail } from '../../src/platform/mail/layout.js'
import { createLogger } from '../../src/platform/telemetry/logger.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { readMailDir, tempDataDir, tokenIn } from '../helpers/mailbox.js'
import { newCredentials, register } from '../auth/support.js'
import { startSmtp } from '../helpers/smtp.js'

describe('mail layout', () => {
  test('variables are escaped in HTML and kept verbatim in text', () => {
    const mail = renderMail({
      brand: 'Shop',
      subject: 'Hi',
      greeting: 'Hello <script>alert(1)</script> & co,',
      paragraphs: ['Body "quoted"'],
      action: { label: 'Go', url: 'https://x.example/?a=1&b="2"' },
    })
    assert.ok(mail.html.includes('Hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; co,'))
    assert.ok(!mail.html.includes('<script>'))
    assert.ok(mail.html.includes('href="https://x.example/?a=1&amp;b=&quot;2&quot;"'))
    assert.ok(mail.text.includes('Hello <script>alert(1)</script> & co,'))
    assert.ok(mail.text.includes('Go: https://x.example/?a=1&b="2"'))
    assert.equal(escapeHtml(`'`), '&#39;')
  })
})

describe('file transport (embedded)', () => {
  test('writes one .eml per message under DATA_DIR/mail', async () => {
    const data = await tempDataDir()
    try {
      const mailer = createMailer({
        from: 'Shop <shop@example.test>',
        dataDir: data.dir,
        logger: createLogger('silent'),
      })
      const sent = await mailer.send({
        to: 'ada@example.test',
        subject: 'Hello',
        text: 'Hi Ada',
        html: '<p>Hi Ada</p>',
      })
      assert.equal(mailer.transport, 'file')
      assert.ok(sent.file?.endsWith('.eml'))
      const [mail, ...rest] = await readMailDir(data.dir)
      assert.ok(mail)
      assert.equal(rest.length, 0)
      assert.equal(mail.to, 'ada@example.test')
      assert.equal(mail.subject, 'Hello')
      assert.match(mail.body, /^From: Shop <shop@example.test>$/m)
      assert.ok(mail.body.includes('Hi Ada'))
    } finally {
      await data.cleanup()
    }
  })
})

describe('SMTP transport (SMTP_URL)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let ctx: TestContext
  let data: Awaited<ReturnType<typeof tempDataDir>>

  before(async () => {
    smtp = await startSmtp()
    data = await tempDataDir()
    ctx = await createTestContext({
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: 'Test Shop <shop@example.test>',
      DATA_DIR: data.dir,
    })
  })
  after(async () => {
    await ctx.close()
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()))
    await data.cleanup()
  })

  test('the welcome mail reaches the SMTP server with its link and token', async () => {
    const credentials = newCredentials('smtp')
    assert.equal((await register(ctx, { ...credentials })).statusCode, 201)
    await ctx.runtime.relay.drain()
    const mail = smtp.inbox.find((m) => m.to.includes(credentials.email.toLowerCase()))
    assert.ok(mail, 'delivered to the recipient')
    assert.equal(mail.from, 'shop@example.test')
    assert.match(mail.raw, /^Subject: Welcome to Test Shop: please confirm your email address$/m)
    const token = tokenIn(mail.raw)
    assert.ok(mail.raw.includes(`/account/verify-email?token=${token}`))
    assert.deepEqual(await readMailDir(data.dir), [], 'nothing is written to disk with SMTP_URL')
    const verified = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/email/verify',
      payload: { token },
    })
    assert.equal(verified.statusCode, 204)
  })

  test('a refused message stays in the outbox and is sent on a later attempt', async () => {
    const credentials = newCredentials('retry')
    await register(ctx, { ...credentials })
    smtp.state.failing = true
    await ctx.runtime.relay.drain()
    const to = credentials.email.toLowerCase()
    assert.equal(smtp.inbox.filter((m) => m.to.includes(to)).length, 0)
    const pending = await ctx.database.db
      .selectFrom('platform.outbox')
      .select(['published_at', 'attempts'])
      .where('type', '=', 'customer.created')
      .where('published_at', 'is', null)
      .execute()
    assert.equal(pending.length, 1, 'the event is not marked published')

    smtp.state.failing = false
    // Expire the relay's lease instead of waiting for it.
    await ctx.database.db
      .updateTable('platform.outbox')
      .set({ lease_until: null })
      .where('published_at', 'is', null)
      .execute()
    await ctx.runtime.relay.drain()
    assert.equal(smtp.inbox.filter((m) => m.to.includes(to)).length, 1)
  })
})
