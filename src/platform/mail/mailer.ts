import { randomBytes } from 'node:crypto'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import nodemailer from 'nodemailer'
import type { Logger } from 'pino'

/** One message, already rendered: the caller owns the wording, the mailer only delivers. */
export interface MailMessage {
  to: string
  subject: string
  text: string
  html: string
  /** Extra headers, e.g. RFC 8058's `List-Unsubscribe` and `List-Unsubscribe-Post`. */
  headers?: Record<string, string>
}

export interface SentMail {
  messageId: string
  /** Where the embedded transport wrote the message (`.eml`); absent for SMTP. */
  file?: string
}

/**
 * Outgoing mail. Call it from event subscribers and jobs only, never inside a request
 * transaction: a failed `send` rejects, so the outbox (or the job queue) delivers it again.
 */
export interface Mailer {
  readonly transport: 'file' | 'smtp'
  send(message: MailMessage): Promise<SentMail>
  close(): void
}

export interface MailerOptions {
  /** `smtp://` or `smtps://`; without it messages are written to `<dataDir>/mail/`. */
  smtpUrl?: string | undefined
  from: string
  dataDir: string
  logger: Logger
}

function fileName(): string {
  const stamp = new Date().toISOString().replace(/[-:.]/g, '')
  return `${stamp}-${randomBytes(4).toString('hex')}.eml`
}

/** Embedded mode: each message becomes one RFC 5322 `.eml` file that any mail client opens. */
function fileMailer(options: MailerOptions): Mailer {
  const dir = path.join(options.dataDir, 'mail')
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true })
  return {
    transport: 'file',
    async send(message) {
      const info = await composer.sendMail({ from: options.from, ...message })
      await mkdir(dir, { recursive: true })
      const file = path.join(dir, fileName())
      // Written aside and renamed, so a reader of the folder never sees half a message.
      await writeFile(`${file}.tmp`, info.message as Buffer)
      await rename(`${file}.tmp`, file)
      options.logger.info({ messageId: info.messageId, file }, 'mail written')
      return { messageId: info.messageId, file }
    },
    close: () => composer.close(),
  }
}

function smtpMailer(options: MailerOptions & { smtpUrl: string }): Mailer {
  const smtp = nodemailer.createTransport(options.smtpUrl)
  return {
    transport: 'smtp',
    async send(message) {
      const info = await smtp.sendMail({ from: options.from, ...message })
      options.logger.info({ messageId: info.messageId }, 'mail sent')
      return { messageId: info.messageId }
    },
    close: () => smtp.close(),
  }
}

export function createMailer(options: MailerOptions): Mailer {
  return options.smtpUrl
    ? smtpMailer({ ...options, smtpUrl: options.smtpUrl })
    : fileMailer(options)
}
