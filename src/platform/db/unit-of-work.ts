import type { Kysely, Transaction } from 'kysely'
import { appendEvents } from '../events/outbox.js'
import type { NewEvent } from '../events/types.js'

export type Emit = (...events: NewEvent[]) => void

/**
 * A caller's unit of work as a module method receives it: its change and events commit (or roll
 * back) with the caller's. One shape for every module, so a flow can pass one `Tx` to several.
 */
export interface Tx {
  trx: Transaction<unknown>
  emit: Emit
}

/**
 * The transaction typed with one module's own tables. The one cast of the codebase: a module's
 * repository can then name only its own tables, inside any caller's transaction.
 */
export function narrow<DB>(tx: Tx | Transaction<unknown>): Transaction<DB> {
  return ('emit' in tx ? tx.trx : tx) as unknown as Transaction<DB>
}

/**
 * A service's transaction: the change and the events it emits commit together (the outbox), and
 * the relay is woken once the commit is done. Inside `fn`, touch only `trx`.
 */
export interface UnitOfWork {
  run<T>(fn: (trx: Transaction<unknown>, emit: Emit) => Promise<T>): Promise<T>
}

export function createUnitOfWork(db: Kysely<unknown>, afterCommit: () => void): UnitOfWork {
  return {
    async run(fn) {
      let emitted = false
      const result = await db.transaction().execute(async (trx) => {
        const events: NewEvent[] = []
        const value = await fn(trx, (...e) => events.push(...e))
        await appendEvents(trx, events)
        emitted = events.length > 0
        return value
      })
      if (emitted) afterCommit()
      return result
    },
  }
}
