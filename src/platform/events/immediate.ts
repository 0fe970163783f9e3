import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Subscription } from '../module.js'
import { runThenRecord } from './processed-events.js'
import type { DomainEvent } from './types.js'

/**
 * The `immediate` subscriptions, run by the writing process on the events it just committed, in
 * commit order, before the write returns. Each run is recorded as processed for its consumer, so
 * the bus skips the later delivery; a failure is logged and left to that delivery (the write
 * itself is committed and must not fail).
 */
export function immediateHandlers(
  db: Kysely<unknown>,
  logger: Logger,
  subscriptions: readonly Subscription[],
): (events: readonly DomainEvent[]) => Promise<void> {
  const byType = new Map<string, ReturnType<typeof runThenRecord>[]>()
  for (const s of subscriptions) {
    if (!s.immediate) continue
    const list = byType.get(s.type) ?? []
    list.push(runThenRecord(db, s.consumer, s.handler))
    byType.set(s.type, list)
  }
  return async (events) => {
    for (const event of events) {
      for (const run of byType.get(event.type) ?? []) {
        await run(event).catch((err: unknown) =>
          logger.warn(
            { err, eventId: event.id, type: event.type },
            'immediate event handler failed; the bus will deliver it',
          ),
        )
      }
    }
  }
}
