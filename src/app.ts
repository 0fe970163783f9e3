import compress from '@fastify/compress'
import cookie from '@fastify/cookie'
import cors from '@fastify/cors'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import helmet from 'helmet'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { Config } from './config.js'
import { registerGraphql } from './platform/graphql/plugin.js'
import { registerAdminDashboard } from './platform/http/admin-dashboard.js'
import { registerAccessControl, type Authenticator } from './platform/http/access.js'
import { registerHealthRoutes, type ReadinessCheck } from './platform/http/health.js'
import { registerIdempotency, type IdempotencyOptions } from './platform/http/idempotency.js'
import { lazyCompilers } from './platform/http/lazy-compilers.js'
import { registerProblemHandlers } from './platform/http/problems.js'
import { requestIdFrom, traceIdFrom } from './platform/http/request-id.js'
import { sharedSchemas } from './platform/http/schemas.js'
import type { ModuleRuntime } from './platform/module.js'
import { chargeRejectedCredential, registerRateLimiting } from './platform/ratelimit/http.js'
import type { RateLimitStore } from './platform/ratelimit/store.js'
import { registerHttpTracing } from './platform/telemetry/http-tracing.js'
import { tracingEnabled } from './platform/telemetry/tracing.js'
import type { Metrics } from './platform/telemetry/metrics.js'
import { registerMetricsRoute } from './platform/telemetry/metrics-http.js'

export interface HttpAppDeps {
  config: Config
  logger: Logger
  modules: ModuleRuntime[]
  /** The GraphQL schema's SDL fragments (`allTypeDefs`); without them (probe apps) no /graphql. */
  typeDefs?: readonly string[]
  authenticate: Authenticator
  readiness: ReadinessCheck[]
  /** Without a store (probe apps in tests) nothing is rate limited. */
  rateLimits?: RateLimitStore
  /** Without it (probe apps in tests) `Idempotency-Key` is ignored. */
  idempotency?: IdempotencyOptions
  isShuttingDown?: () => boolean
  /** This process's series, fed per request and served at GET /metrics; absent in probe apps. */
  metrics?: Metrics
  /** The built dashboard served at /admin (default admin/dist under the working directory). */
  adminDistDir?: string
}

/** The API's version, as OpenAPI and the MCP server announce it. */
export const VERSION = '0.1.0'
const RATE_LIMIT_HEADERS = [
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'RateLimit-Policy',
  'RateLimit',
]

/** The whole HTTP surface as a Fastify instance that never listens: `main` listens, tests inject. */
export async function buildHttpApp(deps: HttpAppDeps): Promise<FastifyInstance> {
  const { config } = deps
  const compilers = lazyCompilers()
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // One log line per request, written in onResponse below, instead of Fastify's two.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: 'requestId',
    }),
    genReqId: requestIdFrom,
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: config.bodyLimit,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    schemaController: {
      compilersFactory: {
        buildValidator: compilers.buildValidator,
        buildSerializer: compilers.buildSerializer,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance

  app.addHook('onListen', (done) => {
    void compilers.warm((error) => app.log.error({ err: error }, 'a route schema does not compile'))
    done()
  })
  // First: every later hook and the handler run inside the request's span.
  const tracing = tracingEnabled()
  if (tracing) registerHttpTracing(app)
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
    // Traced, every line carries the span's `trace_id` (the logger's mixin); else the caller's.
    const traceId = tracing ? undefined : traceIdFrom(request.headers.traceparent)
    if (traceId) request.log = request.log.child({ trace_id: traceId })
  })
  const requestDuration = deps.metrics?.httpRequestDuration
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    requestDuration?.observe(
      { method: request.method, route, status_code: reply.statusCode },
      reply.elapsedTime / 1000,
    )
    request.log.info(
      {
        method: request.method,
        route,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    )
  })

  // JSON only: Fastify's built-in text/plain parser would turn a wrong content type into a 400.
  app.removeContentTypeParser('text/plain')
  registerProblemHandlers(app)
  for (const schema of [...sharedSchemas, ...deps.modules.flatMap((m) => m.schemas ?? [])]) {
    app.addSchema(schema)
  }

  // Security headers from helmet's middleware, built once: @fastify/helmet builds it again on
  // every request, which cost 13 % of a cached listing's CPU (ADR 0014). upgrade-insecure-requests
  // would break /docs when served over plain http on a LAN address.
  const securityHeaders = helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  })
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)),
  )
  await app.register(cors, {
    origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false,
    credentials: true,
    exposedHeaders: [
      'ETag',
      'X-Request-Id',
      'Idempotent-Replayed',
      'Retry-After',
      ...RATE_LIMIT_HEADERS,
    ],
  })
  // Parses cookies only (the browser refresh-token mode); nothing here is signed with a secret.
  await app.register(cookie)
  await app.register(compress, { threshold: 1024 })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Emporium API',
        version: VERSION,
        description: 'Headless commerce backend. Errors are RFC 9457 problem documents.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT or emp_ API key' },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  await registerAdminDashboard(app, deps.adminDistDir)

  // Before the access control: anonymous and credential-guessing traffic is counted first.
  if (deps.rateLimits) registerRateLimiting(app, deps.rateLimits)
  registerAccessControl(
    app,
    deps.authenticate,
    deps.rateLimits ? chargeRejectedCredential(deps.rateLimits) : undefined,
  )
  // After the access control (keys are per caller) and the cookie plugin (Set-Cookie is known).
  if (deps.idempotency) registerIdempotency(app, deps.idempotency)
  registerHealthRoutes(app, deps.readiness, deps.isShuttingDown ?? (() => false))
  if (deps.metrics) registerMetricsRoute(app, deps.metrics, config.metricsToken)
  if (deps.typeDefs) {
    await registerGraphql(app, {
      typeDefs: deps.typeDefs,
      parts: deps.modules.flatMap((m) => m.graphql ?? []),
      schemas: [...sharedSchemas, ...deps.modules.flatMap((m) => m.schemas ?? [])],
      limits: config.graphqlLimits,
      production: config.isProduction,
      authenticate: deps.authenticate,
      ...(deps.idempotency ? { idempotency: deps.idempotency } : {}),
      persistedQueries: 1000,
    })
  }

  for (const module of deps.modules) {
    if (module.routes) await app.register(module.routes)
  }
  return app
}

/**
 * `TRUST_PROXY` as Fastify takes it. A hop count becomes a trust function (the nearest `hops`
 * senders are proxies): Fastify 5.12 ignores a plain number, which would leave the header unread.
 */
function trustProxyOption(
  setting: Config['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting
  return typeof setting === 'object' ? [...setting] : setting
}
