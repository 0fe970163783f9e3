import type { TSchema } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { CacheFactory } from './cache/cache.js'
import type { Database } from './db/database.js'
import type { UnitOfWork } from './db/unit-of-work.js'
import type { EventHandler, EventWatch } from './events/types.js'
import type { GraphqlPart } from './graphql/plugin.js'
import type { JobDefinition, Jobs } from './jobs/jobs.js'
import type { RateLimitStore } from './ratelimit/store.js'
import type { Metrics } from './telemetry/metrics.js'

/** A module's REST routes: a plugin that registers full `/v1/...` paths. */
export type RoutePlugin = (app: FastifyInstance) => Promise<void>

export interface Subscription {
  type: string
  consumer: string
  handler: EventHandler
  /**
   * Also run by the process that committed the event, after the commit and before the write's
   * caller gets its result (read your writes: a cache the next read must not serve). The bus's
   * later delivery to the same consumer is then skipped; if the immediate run fails, the bus
   * delivers as usual (so the handler stays idempotent).
   */
  immediate?: boolean
}

/**
 * What a business module hands the composition root. Its service API, event types and errors are
 * exported from its `index.ts`; this is only what the process roles need to run it.
 */
export interface ModuleRuntime {
  name: string
  routes?: RoutePlugin
  /** Its resolvers over its services (its SDL fragments are listed in `allTypeDefs`). */
  graphql?: GraphqlPart[]
  /** Schemas with an `$id`, registered on the app so routes can `Type.Ref` them and OpenAPI lists them. */
  schemas?: TSchema[]
  jobs?: JobDefinition[]
  subscriptions?: Subscription[]
}

/**
 * What every module factory may take from the platform. Configuration is not here: the
 * composition root maps it to each module's own settings type, so a module states what it reads.
 */
export interface PlatformDeps {
  logger: Logger
  database: Database
  uow: UnitOfWork
  jobs: Jobs
  /** Counters for limits and lockouts; shared across processes when Redis is configured. */
  rateLimits: RateLimitStore
  /** In-process caches; their invalidations reach every process when Redis is configured. */
  caches: CacheFactory
  /** Live notice of published events, to wake waiters (never for work: see `EventWatch`). */
  events: EventWatch
  /** This process's Prometheus series; a module feeds its own (docs/operations.md lists them). */
  metrics: Metrics
}
