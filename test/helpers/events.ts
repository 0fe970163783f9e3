import { sql } from 'kysely'
import type { TestContext } from './context.js'

export interface EmittedEvent {
  type: string
  payload: Record<string, unknown>
}

/**
 * The events committed for one aggregate, oldest first. This is the one place tests read the
 * outbox table, so a change to its layout touches one helper.
 */
export async function emittedEvents(
  ctx: Pick<TestContext, 'database'>,
  aggregateId: string,
): Promise<EmittedEvent[]> {
  const { rows } = await sql<EmittedEvent>`
    select type, payload from platform.outbox where aggregate_id = ${aggregateId} order by position
  `.execute(ctx.database.db)
  return rows
}
