import type { Kysely, Transaction } from 'kysely'
import { appendEvents } from '../events/outbox.js'
import type { DomainEvent, NewEvent } from '../events/types.js'
import { withSpan } from '../telemetry/tracing.js'

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
 * A service's transaction: the change and the events it emits commit together (the outbox).
 * Once the commit is done and before `run` resolves, `afterCommit` gets the committed events
 * (it wakes the relay and runs the handlers the writing process must run before it answers:
 * see `Subscription.immediate`). Inside `fn`, touch only `trx`.
 */
export interface UnitOfWork {
  run<T>(fn: (trx: Transaction<unknown>, emit: Emit) => Promise<T>): Promise<T>
}

/** Must not reject: the change is committed whatever it does. */
export type AfterCommit = (events: readonly DomainEvent[]) => Promise<void> | void

export function createUnitOfWork(db: Kysely<unknown>, afterCommit: AfterCommit): UnitOfWork {
  return {
    async run(fn) {
      let committed: DomainEvent[] = []
      // Within a trace, a `db.transaction` span holds the transaction's statements.
      const result = await withSpan(
        'db.transaction',
        { 'db.system': 'postgresql' },
        () =>
          db.transaction().execute(async (trx) => {
            const events: NewEvent[] = []
            const value = await fn(trx, (...e) => events.push(...e))
            committed = await appendEvents(trx, events)
            return value
          }),
        { childOnly: true },
      )
      if (committed.length > 0) await afterCommit(committed)
      return result
    },
  }
}
