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
 * very read is served by the primary. A probe every `REPLICA_PROBE_MS` puts it back once it
 * accepts a connection again. A query that breaks on an established connection still fails.
 */
export function failoverPool(
  replica: pg.Pool,
  primary: pg.Pool,
  logger?: Pick<Logger, 'warn' | 'info'>,
): FailoverPool {
  let healthy = true
  let probe: NodeJS.Timeout | undefined

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

  return {
    get healthy() {
      return healthy
    },
    async connect() {
      if (healthy) {
        try {
          return await replica.connect()
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
