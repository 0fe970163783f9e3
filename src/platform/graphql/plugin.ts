import type { TSchema } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  type DocumentNode,
} from 'graphql'
import mercurius, { type IResolvers, type MercuriusLoaders } from 'mercurius'
import { credentialStillValid, type Authenticator, type Principal } from '../http/access.js'
import { runOnce, type IdempotencyOptions } from '../http/idempotency.js'
import { inputValidator } from '../http/input-validator.js'
import { cachingHandler, type CachedQueries } from './cache.js'
import type { GraphqlContext, GraphqlExtras, Once } from './context.js'
import { formatExecution, formattedError } from './errors.js'
import { schemaOf } from './sdl.js'
import { assertWithinLimits, type QueryLimits } from './limits.js'

/** What a module adds to the GraphQL schema's execution (its SDL is listed statically). */
export interface GraphqlPart {
  resolvers: IResolvers<unknown, GraphqlContext>
  loaders?: MercuriusLoaders<GraphqlContext>
  /** Public root fields whose GET queries are answered from the part's reply cache. */
  cachedQueries?: CachedQueries
}

export interface GraphqlOptions {
  /** The SDL fragments: the base and each module's. */
  typeDefs: readonly string[]
  parts: readonly GraphqlPart[]
  /** Schemas with an `$id` that argument schemas may reference (the app's shared ones). */
  schemas: readonly TSchema[]
  limits: QueryLimits
  /** Production: no introspection, no GraphiQL. */
  production: boolean
  authenticate: Authenticator
  /** Without it (probe apps) `idempotencyKey` arguments are ignored. */
  idempotency?: IdempotencyOptions
  /** Automatic persisted queries kept per process. */
  persistedQueries: number
}

/** GraphiQL loads React and GraphiQL from unpkg; only its pages get this policy. */
const GRAPHIQL_CSP =
  "default-src 'self'; script-src 'self' https://unpkg.com; style-src 'self' 'unsafe-inline' " +
  "https://unpkg.com; img-src 'self' data:; font-src 'self' https://unpkg.com; connect-src 'self'; " +
  "worker-src 'self'; frame-ancestors 'none'"

/** `connection_init` of a subscription: `{ authorization?, orderToken? }` (API reference). */
interface ConnectionInit {
  authorization?: unknown
  orderToken?: unknown
}

/** Resolver (or loader) maps merged type by type: several parts may add to `Query`. */
function mergeByType<T extends object>(maps: T[]): T {
  const merged: Record<string, Record<string, unknown>> = {}
  for (const map of maps)
    for (const [type, fields] of Object.entries(map)) {
      merged[type] = { ...merged[type], ...(fields as Record<string, unknown>) }
    }
  return merged as T
}

/** A subscription that cannot start says why with the same codes as any other operation. */
function formatSubscriptionErrors(resolvers: IResolvers, log: FastifyInstance['log']): IResolvers {
  const subscription = resolvers.Subscription as
    Record<string, { subscribe: (...args: unknown[]) => Promise<unknown> }> | undefined
  for (const field of Object.values(subscription ?? {})) {
    const subscribe = field.subscribe
    field.subscribe = async (...args) => {
      try {
        return await subscribe(...args)
      } catch (error) {
        throw formattedError(error, log)
      }
    }
  }
  return resolvers
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * `/graphql` (GET and POST, and `graphql-ws` subscriptions on the same path) on Mercurius, over
 * the module resolvers. The route goes through the app's rate limits and credential check like
 * any other; resolvers check permissions themselves (`requirePermission`), as REST routes declare
 * them. Operations over the depth or cost limit are refused before they run.
 */
export async function registerGraphql(app: FastifyInstance, options: GraphqlOptions) {
  const input = inputValidator(options.schemas, '/graphql')
  const extraRules = options.production ? [NoSchemaIntrospectionCustomRule] : []
  const once = (request: FastifyRequest): Once => {
    const idempotency = options.idempotency
    return async (operation, run) => {
      if (!idempotency || operation.key === undefined || operation.key === null) return run()
      const { value, replayed } = await runOnce(
        idempotency,
        request,
        { route: `graphql:${operation.name}`, ...operation, key: operation.key },
        run,
      )
      // Marked on the HTTP reply (onSend below), as REST marks a replayed reply.
      if (replayed) replays.add(request)
      return value
    }
  }
  const replays = new WeakSet<FastifyRequest>()
  const extras = (request: FastifyRequest, principal: Principal | null): GraphqlExtras => ({
    request,
    principal,
    tokens: { cart: header(request, 'x-cart-token'), order: header(request, 'x-order-token') },
    stillValid: () => credentialStillValid(request),
    input,
    once: once(request),
  })

  await app.register(async (scope) => {
    // The body is GraphQL's, not a REST reply: an Idempotency-Key header is for REST routes.
    // Public catalog reads over GET are cached like their REST twins (src/platform/graphql/cache.ts).
    const cachedQueries = options.parts.flatMap((p) => (p.cachedQueries ? [p.cachedQueries] : []))
    // GraphQL describes itself (schema.graphql, introspection); the OpenAPI document is REST's.
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: 'public', idempotency: false }
      route.schema = { ...route.schema, hide: true }
      if (route.method === 'GET' && route.url === '/graphql') {
        route.handler = cachingHandler(cachedQueries, route.handler)
      }
    })
    scope.addHook('onSend', async (request, reply) => {
      if (request.url.startsWith('/graphiql')) reply.header('content-security-policy', GRAPHIQL_CSP)
      if (replays.has(request)) reply.header('idempotent-replayed', 'true')
    })
    await scope.register(mercurius, {
      schema: schemaOf(options.typeDefs),
      // Typed against GraphqlContext by each part; Mercurius's own types know only its context.
      resolvers: formatSubscriptionErrors(
        mergeByType(options.parts.map((p) => p.resolvers)) as IResolvers,
        app.log,
      ),
      loaders: mergeByType(options.parts.map((p) => p.loaders ?? {})) as MercuriusLoaders,
      context: (request) => extras(request, request.principal),
      errorFormatter: formatExecution as never,
      graphiql: !options.production,
      jit: 1,
      cache: 1024,
      validationRules: extraRules,
      persistedQueryProvider: mercurius.persistedQueryDefaults.automatic(options.persistedQueries),
      subscription: {
        keepAlive: 15_000,
        context: (_connection, request) => extras(request, request.principal),
        onConnect: async ({ payload }: { payload?: ConnectionInit }) => {
          const raw = typeof payload?.authorization === 'string' ? payload.authorization : ''
          const credential = raw.replace(/^Bearer\s+/i, '')
          const orderToken =
            typeof payload?.orderToken === 'string' && payload.orderToken !== ''
              ? payload.orderToken
              : undefined
          if (!credential) return orderToken ? { tokens: { order: orderToken } } : true
          try {
            const principal = await options.authenticate(credential)
            const stillValid = async () => {
              try {
                return (await options.authenticate(credential)).subject === principal.subject
              } catch {
                return false
              }
            }
            return { principal, stillValid, tokens: { order: orderToken } }
          } catch {
            return false
          }
        },
      },
    })
    scope.graphql.addHook('preExecution', async (schema, document, _context, variables) => {
      assertWithinLimits(options.limits, schema, document, variables ?? {})
    })
    scope.graphql.addHook('preSubscriptionExecution', async (schema, document: DocumentNode) => {
      // Mercurius runs subscriptions without validating them: do what a query gets.
      const errors = validate(schema, document, [...specifiedRules, ...extraRules])
      if (errors.length > 0) throw formattedError(errors[0], app.log)
      assertWithinLimits(options.limits, schema, document, undefined)
    })
  })
}
