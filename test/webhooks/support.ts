import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import type { TestContext } from '../helpers/context.js'

export interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** A real HTTP receiver on 127.0.0.1; `statuses` are replied in turn, then 200. */
export interface Receiver {
  url: string
  received: Received[]
  statuses: number[]
  replyBody: string
  close(): Promise<void>
}

export async function startReceiver(): Promise<Receiver> {
  const state = { received: [] as Received[], statuses: [] as number[], replyBody: 'ok' }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      state.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(state.statuses.shift() ?? 200, { 'content-type': 'text/plain' })
      res.end(receiver.replyBody)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks`,
    received: state.received,
    statuses: state.statuses,
    replyBody: state.replyBody,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
  return receiver
}

export function adminRequest(ctx: TestContext, token: string) {
  const as = ctx.as(token)
  return (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    as.request(method, url, payload)
}

/** Delivery jobs waiting in pg-boss for this delivery, oldest first. */
export async function queuedJobs(ctx: TestContext, deliveryId: string) {
  const { rows } = await sql<{ data: Record<string, unknown>; start_after: Date }>`
    select data, start_after from pgboss.job
    where name = 'webhooks.deliver' and data->>'deliveryId' = ${deliveryId}
    order by created_on`.execute(ctx.database.db)
  return rows
}
