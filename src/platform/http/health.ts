import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { sendProblem } from './problems.js'

export interface ReadinessCheck {
  name: string
  check(): Promise<void>
}

const Status = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
})

/** `/livez`: the process answers. `/readyz`: every dependency answers and we are not draining. */
export function registerHealthRoutes(
  app: FastifyInstance,
  checks: ReadinessCheck[],
  isShuttingDown: () => boolean,
): void {
  const hide = { hide: true }
  app.get('/livez', { schema: { ...hide, response: { 200: Status } } }, async () => ({
    status: 'ok',
  }))
  app.get('/readyz', { schema: { ...hide, response: { 200: Status } } }, async (request, reply) => {
    if (isShuttingDown()) {
      return sendProblem(request, reply, 503, { code: 'shutting_down', title: 'Shutting down' })
    }
    const results: Record<string, string> = {}
    let ok = true
    await Promise.all(
      checks.map(async (c) => {
        try {
          await withTimeout(c.check(), 2000)
          results[c.name] = 'ok'
        } catch {
          ok = false
          results[c.name] = 'unreachable'
        }
      }),
    )
    if (!ok) {
      return sendProblem(request, reply, 503, {
        code: 'not_ready',
        title: 'Not ready',
        checks: results,
      })
    }
    return { status: 'ok', checks: results }
  })
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
