import type pg from 'pg'
import type { Logger } from 'pino'
import { degraded } from '../telemetry/degraded.js'
import { isDatabaseUnavailable } from './errors.js'

/** How often a replica out of rotation is tried again. */
export const REPLICA_PROBE_MS = 5000

/** What Kysely's PostgresDialect uses of a pool. */
export interface DialectPool {
  connect(): Promise<pg.PoolClient>
  end(): Promise<void>
}

export interface FailoverPool extends DialectPool {
  /** False while the replica is out of rotation (its reads go to the primary). */
  readonly healthy: boolean
}

/**
 * A replica's pool that hands out a primary connection instead while the replica cannot be
 * reached: the first connection it fails to make (refused, reset, timed out, the server
 * refusing work) takes it out of rotation, with a warning and the `replicaOut` counter, and that
 * very read is served by the primary. A statement that breaks on an established replica
 * connection (the replica died mid-flight, or the pool handed out a connection whose socket was
 * already gone) takes it out too and is run again on the primary, unless it ran inside a
 * transaction. A probe every `REPLICA_PROBE_MS` puts it back once it accepts a connection again.
 */
export function failoverPool(
  replica: pg.Pool,
  primary: pg.Pool,
  logger?: Pick<Logger, 'warn' | 'info'>,
): FailoverPool {
  let healthy = true
  let probe: NodeJS.Timeout | undefined
  const wrapped = new WeakSet<pg.PoolClient>()

  function takeOut(error: unknown) {
    healthy = false
    degraded('replicaOut', logger, 'read replica unreachable: reading from the primary', error)
    probe ??= setInterval(() => void tryAgain(), REPLICA_PROBE_MS).unref()
  }

  async function tryAgain() {
    try {
      const client = await replica.connect()
      client.release()
      healthy = true
      clearInterval(probe)
      probe = undefined
      logger?.info('read replica reachable again: back in rotation')
    } catch {
      // Still out; the next probe tries again.
    }
  }

  /** Reads run alone (no transaction) on a replica, so one that breaks can run again elsewhere. */
  function withPrimaryFallback(client: pg.PoolClient): pg.PoolClient {
    if (wrapped.has(client)) return client
    wrapped.add(client)
    const query = client.query.bind(client) as (
      text: string,
      values?: unknown[],
    ) => Promise<unknown>
    let inTransaction = false
    const fallback = async (text: string, values?: unknown[]) => {
      if (/^\s*(begin|start transaction)\b/i.test(text)) inTransaction = true
      try {
        return await query(text, values)
      } catch (error) {
        if (inTransaction || !isDatabaseUnavailable(error)) throw error
        takeOut(error)
        const other = await primary.connect()
        try {
          return await other.query(text, values)
        } finally {
          other.release()
        }
      } finally {
        if (/^\s*(commit|rollback)\b/i.test(text)) inTransaction = false
      }
    }
    client.query = fallback as typeof client.query
    return client
  }

  return {
    get healthy() {
      return healthy
    },
    async connect() {
      if (healthy) {
        try {
          return withPrimaryFallback(await replica.connect())
        } catch (error) {
          if (!isDatabaseUnavailable(error)) throw error
          takeOut(error)
        }
      }
      return primary.connect()
    },
    async end() {
      clearInterval(probe)
      probe = undefined
      if (!replica.ending) await replica.end()
    },
  }
}
