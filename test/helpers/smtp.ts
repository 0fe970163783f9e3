import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { decodeQuotedPrintable } from './mailbox.js'

export interface Received {
  from: string
  to: string[]
  raw: string
}

/** A real SMTP server on a loopback port; `failing` makes it refuse every message. */
export function startSmtp(): Promise<{
  server: SMTPServer
  port: number
  inbox: Received[]
  state: { failing: boolean }
}> {
  const inbox: Received[] = []
  const state = { failing: false }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (state.failing) return callback(new Error('451 try again later'))
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: decodeQuotedPrintable(Buffer.concat(chunks).toString('utf8')),
        })
        callback()
      })
    },
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.server.address() as AddressInfo
      resolve({ server, port, inbox, state })
    })
  })
}
