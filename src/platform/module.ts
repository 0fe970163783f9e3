import type { TSchema } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { EventHandler } from './events/types.js'
import type { JobDefinition } from './jobs/jobs.js'

/** A module's REST routes: a plugin that registers full `/v1/...` paths. */
export type RoutePlugin = (app: FastifyInstance) => Promise<void>

export interface Subscription {
  type: string
  consumer: string
  handler: EventHandler
}

/**
 * What a business module hands the composition root. Its service API, event types and errors are
 * exported from its `index.ts`; this is only what the process roles need to run it.
 */
export interface ModuleRuntime {
  name: string
  routes?: RoutePlugin
  /** Schemas with an `$id`, registered on the app so routes can `Type.Ref` them and OpenAPI lists them. */
  schemas?: TSchema[]
  jobs?: JobDefinition[]
  subscriptions?: Subscription[]
}
