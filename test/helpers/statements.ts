import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { engine } from './context.js'

type Query = (...args: unknown[]) => Promise<unknown>

/**
 * Records the SQL text of every statement the driver sends while `fn` runs, begin and commit
 * included: the real engine's client, observed, not replaced.
 */
export async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = []
  const proto = (engine === 'postgres'
    ? pg.Client.prototype
    : PGlite.prototype) as unknown as Record<'query', Query>
  const original = proto.query
  proto.query = function (this: unknown, ...args: unknown[]) {
    const text = args[0]
    seen.push(typeof text === 'string' ? text : String((text as { text?: string }).text))
    return original.apply(this, args)
  }
  try {
    await fn()
  } finally {
    proto.query = original
  }
  return seen
}
