import { existsSync } from 'node:fs'
import path from 'node:path'
import type { SecretKey } from './platform/crypto.js'
import { readRateLimitSettings, type RateLimitSettings } from './platform/ratelimit/settings.js'
import { readMediaSettings, type MediaSettings } from './platform/storage/settings.js'
import {
  acpSettings,
  bool,
  ConfigError,
  encryptionKeys,
  int,
  list,
  str,
  trustProxySetting,
  url,
  type AcpConfig,
  type Env,
} from './config-values.js'
import { LOG_FORMATS, type LogFormat, type LogLevel } from './platform/telemetry/logger.js'

export { ConfigError }

export interface Config {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  readonly databaseUrl: string | undefined
  readonly databaseReplicaUrls: readonly string[]
  /** Named statements prepared per connection (off behind PgBouncer in transaction mode). */
  readonly databasePreparedStatements: boolean
  readonly adminEmail: string | undefined
  readonly adminPassword: string | undefined
  readonly seedDemo: boolean
  readonly logLevel: LogLevel
  /** `LOG_FORMAT`; unset: pretty on a terminal outside production, else JSON (`chooseLogFormat`). */
  readonly logFormat: LogFormat | undefined
  /** Proxies whose `X-Forwarded-For` is believed: addresses/CIDRs, a hop count, or any (`true`). */
  readonly trustProxy: boolean | number | readonly string[]
  readonly corsOrigins: readonly string[]
  readonly storeCurrency: string
  /** Whether catalog prices include tax (`PRICES_INCLUDE_TAX`); default true unless the store prices in USD. */
  readonly pricesIncludeTax: boolean
  readonly publicUrl: string
  /** Outgoing mail server (`smtp://` or `smtps://`); unset: mail is written to `<dataDir>/mail/`. */
  readonly smtpUrl: string | undefined
  readonly mailFrom: string
  /** Where links in emails point (the storefront's account pages); defaults to PUBLIC_URL. */
  readonly storefrontUrl: string
  readonly bodyLimit: number
  /** Lifetime of a refresh token; each rotation starts a new one (sliding session). */
  readonly refreshTokenTtlDays: number
  readonly shutdownGraceMs: number
  /**
   * HTTP processes of `start` and `serve` on PostgreSQL (node:cluster, one port); 1 runs one
   * process. Unset: one per core. The embedded database is single-process whatever it says.
   */
  readonly webConcurrency: number | undefined
  /** How long an `Idempotency-Key` and its stored reply are kept (at least 24 h, the API's promise). */
  readonly idempotencyKeyTtlHours: number
  /** Order event streams (SSE): their longest life and how often they re-check the caller. */
  readonly orderStreams: { readonly maxLifetimeMs: number; readonly recheckMs: number }
  /** Base64 AES-256 key sealing the secrets of stored idempotent replies; see docs. */
  readonly idempotencyEncryptionKey: string | undefined
  readonly isProduction: boolean
  /** GraphQL operations deeper or costlier than this are refused before they run. */
  readonly graphqlLimits: { readonly maxDepth: number; readonly maxCost: number }
  /** Redis for rate limits, lockouts and cache invalidations; unset keeps them in-process. */
  readonly redisUrl: string | undefined
  /** NATS with JetStream (`nats://`) for domain events; unset keeps the in-process bus. */
  readonly natsUrl: string | undefined
  readonly rateLimits: RateLimitSettings
  /** Storefront catalog replies kept in-process: entry TTL (0 turns it off) and size bounds. */
  readonly catalogCache: { ttlSeconds: number; maxEntries: number; maxBytes: number }
  /** Prefix of the cache generation keys in Redis. */
  readonly cachePrefix: string
  /** AES-256 keys sealing TOTP secrets at rest (the first seals, all open); none: unencrypted. */
  readonly mfaEncryptionKeys: readonly SecretKey[]
  /** Staff and admins must have TOTP on before `/v1/admin` routes answer (default: production). */
  readonly requireStaffMfa: boolean
  /** A verified purchase's review is published at once, without moderation. */
  readonly reviewsAutoPublishVerified: boolean
  /** Lets webhook endpoints point at loopback/private addresses (off: refused, against SSRF). */
  readonly webhookAllowPrivateNetworks: boolean
  /** AES-256 keys sealing webhook signing secrets at rest (the first seals); none: unencrypted. */
  readonly webhookEncryptionKeys: readonly SecretKey[]
  /** AES-256 keys sealing the private token signing keys at rest (the first seals); none: clear. */
  readonly signingKeyEncryptionKeys: readonly SecretKey[]
  /** OpenID Connect sign-in providers (`OIDC_PROVIDERS` and `OIDC_<NAME>_*`). */
  readonly oidcProviders: readonly OidcProviderConfig[]
  readonly checkout: CheckoutSettings
  /** Open carts with an email untouched this long get one reminder mail (`ABANDONED_CART_AFTER_HOURS`). */
  readonly abandonedCartAfterHours: number
  /** Bearer token GET /metrics asks for (`METRICS_TOKEN`); unset: the metrics are open. */
  readonly metricsToken: string | undefined
  /**
   * The metrics and liveness port (`METRICS_PORT`) of the worker role and of a cluster's primary
   * (its children's aggregate); 0 turns that server off.
   */
  readonly metricsPort: number
  /** Product images: the storage driver (`MEDIA_STORAGE`, `MEDIA_DIR`, `MEDIA_S3_*`) and their URL. */
  readonly media: MediaSettings
  /** The Agentic Commerce Protocol at /acp (`ACP_*`). */
  readonly acp: AcpConfig
}

/** One OpenID Connect provider, from `OIDC_<NAME>_*` variables. */
export interface OidcProviderConfig {
  /** Lower-case name used in URLs: `/v1/auth/oidc/<name>/start`. */
  readonly name: string
  readonly issuer: string
  readonly clientId: string
  /** Unset: a public client (PKCE only, no client authentication). */
  readonly clientSecret: string | undefined
  readonly scope: string
}

export interface CheckoutSettings {
  /** How long checkout holds stock for an order awaiting payment (`CHECKOUT_RESERVATION_TTL_SECONDS`). */
  readonly reservationTtlSeconds: number
  /** How long checkout waits for the payment provider (`PAYMENT_TIMEOUT_MS`). */
  readonly paymentTimeoutMs: number
  /** Age at which the reconciliation job settles an order still awaiting payment. */
  readonly reconcileAfterSeconds: number
  /** How long the test provider's `tok_timeout` keeps checkout waiting before it times out. */
  readonly testProviderDelayMs: number
  /** Secret of the test provider's webhooks (`PAYMENT_WEBHOOK_SECRET`); unset: random per process. */
  readonly paymentWebhookSecret: string | undefined
  /** Enabled payment providers in order of preference (`PAYMENT_PROVIDERS`). */
  readonly paymentProviders: readonly PaymentProviderName[]
  /** Stripe's secrets and API address; set when `stripe` is enabled. */
  readonly stripe: StripeSettings | undefined
}

export const PAYMENT_PROVIDER_NAMES = ['test', 'stripe'] as const
export type PaymentProviderName = (typeof PAYMENT_PROVIDER_NAMES)[number]

export interface StripeSettings {
  /** `STRIPE_SECRET_KEY` (sk_live_… / sk_test_… / rk_…). */
  readonly secretKey: string
  /** `STRIPE_WEBHOOK_SECRET` (whsec_…): verifies `POST /v1/payments/webhooks/stripe`. */
  readonly webhookSecret: string
  /** `STRIPE_API_URL`: another API address (a local Stripe-compatible server in tests). */
  readonly apiUrl: string | undefined
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

const PG = ['postgres:', 'postgresql:']

const MAIL_FROM = /^([^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/

/**
 * What production (`NODE_ENV=production`) refuses to start with, one error (one line naming the
 * variable) each; empty outside production.
 */
export function productionProblems(config: Config): ConfigError[] {
  if (!config.isProduction) return []
  const problems: ConfigError[] = []
  const keys: [string, readonly SecretKey[], string][] = [
    ['MFA_ENCRYPTION_KEY', config.mfaEncryptionKeys, 'TOTP secrets'],
    ['WEBHOOK_ENCRYPTION_KEY', config.webhookEncryptionKeys, 'webhook signing secrets'],
    ['SIGNING_KEY_ENCRYPTION_KEY', config.signingKeyEncryptionKeys, 'the token signing keys'],
  ]
  for (const [variable, set, what] of keys) {
    if (set.length === 0) {
      problems.push(
        new ConfigError(variable, `must be set in production: it seals ${what} at rest`),
      )
    }
  }
  if (!config.smtpUrl) {
    problems.push(
      new ConfigError(
        'SMTP_URL',
        'must be set in production: without it, reset and invitation links are written to DATA_DIR/mail/',
      ),
    )
  }
  if (config.trustProxy === true) {
    problems.push(
      new ConfigError(
        'TRUST_PROXY',
        'must not be true in production (any client could pick its address): list the proxies or CIDRs, or give a hop count',
      ),
    )
  }
  return problems
}

function mailSettings(env: Env, publicUrl: string) {
  const smtpUrl = str(env, 'SMTP_URL')
  const mailFrom = str(env, 'MAIL_FROM') ?? 'Emporium <no-reply@localhost>'
  if (!MAIL_FROM.test(mailFrom)) {
    throw new ConfigError('MAIL_FROM', 'must be an address, e.g. "Shop <shop@example.com>"')
  }
  const storefrontRaw = str(env, 'STOREFRONT_URL')
  return {
    smtpUrl: smtpUrl ? url('SMTP_URL', smtpUrl, ['smtp:', 'smtps:']) : undefined,
    mailFrom,
    storefrontUrl: storefrontRaw
      ? url('STOREFRONT_URL', storefrontRaw, ['http:', 'https:']).replace(/\/$/, '')
      : publicUrl,
  }
}

function cacheSettings(env: Env) {
  const cachePrefix = str(env, 'CACHE_PREFIX') ?? 'emporium:cache'
  if (!/^[\w:.-]{1,100}$/.test(cachePrefix)) {
    throw new ConfigError('CACHE_PREFIX', 'may hold letters, digits and _ : . - (at most 100)')
  }
  return {
    catalogCache: Object.freeze({
      ttlSeconds: int(env, 'CATALOG_CACHE_TTL_SECONDS', 30, 0, 86_400),
      maxEntries: int(env, 'CATALOG_CACHE_MAX_ENTRIES', 5000, 1, 1_000_000),
      maxBytes: int(env, 'CATALOG_CACHE_MAX_MB', 32, 1, 4096) * 1_048_576,
    }),
    cachePrefix,
  }
}

const NAME = /^[a-z][a-z0-9-]{0,31}$/

/**
 * `OIDC_PROVIDERS=google,okta` plus, per provider, `OIDC_GOOGLE_ISSUER`, `OIDC_GOOGLE_CLIENT_ID`,
 * `OIDC_GOOGLE_CLIENT_SECRET` (optional) and `OIDC_GOOGLE_SCOPE` (default `openid email profile`).
 */
function readOidcSettings(
  env: Env,
  fail: (variable: string, problem: string) => Error,
): readonly OidcProviderConfig[] {
  const names = (str(env, 'OIDC_PROVIDERS') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
  return Object.freeze(
    names.map((name) => {
      if (!NAME.test(name)) {
        throw fail('OIDC_PROVIDERS', `has an invalid name "${name}" (a-z, 0-9, -)`)
      }
      const prefix = `OIDC_${name.toUpperCase().replace(/-/g, '_')}_`
      const issuer = str(env, `${prefix}ISSUER`)
      const clientId = str(env, `${prefix}CLIENT_ID`)
      if (!issuer) throw fail(`${prefix}ISSUER`, `must be set for provider "${name}"`)
      if (!clientId) throw fail(`${prefix}CLIENT_ID`, `must be set for provider "${name}"`)
      let protocol: string
      try {
        protocol = new URL(issuer).protocol
      } catch {
        throw fail(`${prefix}ISSUER`, 'must be a URL')
      }
      if (protocol !== 'https:' && protocol !== 'http:') {
        throw fail(`${prefix}ISSUER`, 'must use https: (http: only for local testing)')
      }
      const scope = str(env, `${prefix}SCOPE`) ?? 'openid email profile'
      if (!scope.split(/\s+/).includes('openid')) {
        throw fail(`${prefix}SCOPE`, 'must include openid')
      }
      return Object.freeze({
        name,
        issuer,
        clientId,
        clientSecret: str(env, `${prefix}CLIENT_SECRET`),
        scope,
      })
    }),
  )
}

/**
 * `PAYMENT_PROVIDERS` (default `test` outside production, none in production) and Stripe's
 * variables. Production refuses the test provider, which marks orders paid with no money moving,
 * and refuses to start without a provider: checkout could never take a payment.
 */
function paymentSettings(env: Env, isProduction: boolean) {
  const raw = str(env, 'PAYMENT_PROVIDERS')
  const names = raw === undefined ? (isProduction ? [] : ['test']) : list(env, 'PAYMENT_PROVIDERS')
  for (const name of names) {
    if (!(PAYMENT_PROVIDER_NAMES as readonly string[]).includes(name)) {
      throw new ConfigError('PAYMENT_PROVIDERS', `has an unknown provider "${name}" (test, stripe)`)
    }
  }
  if (new Set(names).size !== names.length) {
    throw new ConfigError('PAYMENT_PROVIDERS', 'names a provider twice')
  }
  if (isProduction && names.includes('test')) {
    throw new ConfigError(
      'PAYMENT_PROVIDERS',
      'must not enable "test" in production (it marks orders paid without charging anyone)',
    )
  }
  if (names.length === 0) {
    throw new ConfigError(
      'PAYMENT_PROVIDERS',
      isProduction ? 'must name a payment provider in production (stripe)' : 'must name a provider',
    )
  }
  return {
    paymentProviders: Object.freeze(names as PaymentProviderName[]),
    stripe: names.includes('stripe') ? stripeSettings(env) : undefined,
  }
}

function stripeSettings(env: Env): StripeSettings {
  const secretKey = str(env, 'STRIPE_SECRET_KEY')
  const webhookSecret = str(env, 'STRIPE_WEBHOOK_SECRET')
  if (!secretKey) throw new ConfigError('STRIPE_SECRET_KEY', 'must be set when stripe is enabled')
  if (!webhookSecret) {
    throw new ConfigError('STRIPE_WEBHOOK_SECRET', 'must be set when stripe is enabled')
  }
  const apiUrl = str(env, 'STRIPE_API_URL')
  return Object.freeze({
    secretKey,
    webhookSecret,
    apiUrl: apiUrl ? url('STRIPE_API_URL', apiUrl, ['https:', 'http:']) : undefined,
  })
}

/** Reads and validates the environment once; the result is frozen. */
export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = str(env, 'DATABASE_URL')
  if (databaseUrl) url('DATABASE_URL', databaseUrl, PG)
  const replicas = list(env, 'DATABASE_REPLICA_URLS').map((u) =>
    url('DATABASE_REPLICA_URLS', u, PG),
  )
  if (replicas.length > 0 && !databaseUrl) {
    throw new ConfigError(
      'DATABASE_REPLICA_URLS',
      'needs DATABASE_URL (replicas of which primary?)',
    )
  }

  const adminEmail = str(env, 'ADMIN_EMAIL')
  const adminPassword = env.ADMIN_PASSWORD
  if (adminEmail && !/^[^\s@]+@[^\s@]+$/.test(adminEmail)) {
    throw new ConfigError('ADMIN_EMAIL', 'must be an email address')
  }
  if (adminEmail && (adminPassword === undefined || adminPassword.length < 10)) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be set, at least 10 characters, with ADMIN_EMAIL')
  }

  const logLevel = (str(env, 'LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`)
  }

  const logFormat = str(env, 'LOG_FORMAT')?.toLowerCase() as LogFormat | undefined
  if (logFormat !== undefined && !LOG_FORMATS.includes(logFormat)) {
    throw new ConfigError('LOG_FORMAT', `must be one of ${LOG_FORMATS.join(', ')}`)
  }

  const trustProxy = trustProxySetting(env)

  const storeCurrency = (str(env, 'STORE_CURRENCY') ?? 'EUR').toUpperCase()
  if (!/^[A-Z]{3}$/.test(storeCurrency)) {
    throw new ConfigError('STORE_CURRENCY', 'must be an ISO 4217 code such as EUR')
  }

  const corsOrigins = list(env, 'CORS_ORIGINS').map((o) =>
    url('CORS_ORIGINS', o, ['http:', 'https:']),
  )
  const port = int(env, 'PORT', 3000, 0, 65535)
  const host = str(env, 'HOST') ?? '127.0.0.1'
  const publicUrlRaw = str(env, 'PUBLIC_URL')
  const publicUrl = publicUrlRaw
    ? url('PUBLIC_URL', publicUrlRaw, ['http:', 'https:']).replace(/\/$/, '')
    : `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`

  const metricsToken = str(env, 'METRICS_TOKEN')
  if (metricsToken !== undefined && !/^\S{16,}$/.test(metricsToken)) {
    throw new ConfigError('METRICS_TOKEN', 'must be at least 16 characters without spaces')
  }

  const redisUrl = str(env, 'REDIS_URL')
  const natsUrl = str(env, 'NATS_URL')
  const isProduction = env.NODE_ENV === 'production'
  const dataDir = path.resolve(str(env, 'DATA_DIR') ?? '.emporium')
  const config: Config = Object.freeze({
    port,
    host,
    dataDir,
    databaseUrl,
    databaseReplicaUrls: Object.freeze(replicas),
    databasePreparedStatements: bool(env, 'DATABASE_PREPARED_STATEMENTS', true),
    adminEmail: adminEmail?.toLowerCase(),
    adminPassword: adminEmail ? adminPassword : undefined,
    seedDemo: bool(env, 'SEED_DEMO', true),
    logLevel,
    logFormat,
    trustProxy,
    corsOrigins: Object.freeze(corsOrigins),
    storeCurrency,
    pricesIncludeTax: bool(env, 'PRICES_INCLUDE_TAX', storeCurrency !== 'USD'),
    publicUrl,
    ...mailSettings(env, publicUrl),
    bodyLimit: int(env, 'BODY_LIMIT', 1_048_576, 1024, 104_857_600),
    refreshTokenTtlDays: int(env, 'REFRESH_TOKEN_TTL_DAYS', 7, 1, 365),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 1000, 0, 60_000),
    webConcurrency: str(env, 'WEB_CONCURRENCY') ? int(env, 'WEB_CONCURRENCY', 1, 1, 64) : undefined,
    idempotencyKeyTtlHours: int(env, 'IDEMPOTENCY_KEY_TTL_HOURS', 24, 24, 8760),
    idempotencyEncryptionKey: encryptionKeys(env, 'IDEMPOTENCY_ENCRYPTION_KEY')[0]?.key,
    orderStreams: Object.freeze({
      maxLifetimeMs: int(env, 'ORDER_STREAM_MAX_SECONDS', 900, 1, 900) * 1000,
      recheckMs: int(env, 'ORDER_STREAM_RECHECK_MS', 5000, 50, 60_000),
    }),
    isProduction,
    graphqlLimits: Object.freeze({
      maxDepth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 2, 50),
      maxCost: int(env, 'GRAPHQL_MAX_COST', 5000, 10, 1_000_000),
    }),
    redisUrl: redisUrl ? url('REDIS_URL', redisUrl, ['redis:', 'rediss:']) : undefined,
    natsUrl: natsUrl ? url('NATS_URL', natsUrl, ['nats:', 'tls:']) : undefined,
    rateLimits: readRateLimitSettings(env, (name, problem) => new ConfigError(name, problem)),
    ...cacheSettings(env),
    mfaEncryptionKeys: encryptionKeys(env, 'MFA_ENCRYPTION_KEY'),
    requireStaffMfa: bool(env, 'REQUIRE_STAFF_MFA', env.NODE_ENV === 'production'),
    reviewsAutoPublishVerified: bool(env, 'REVIEWS_AUTO_PUBLISH_VERIFIED', false),
    webhookAllowPrivateNetworks: bool(env, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
    webhookEncryptionKeys: encryptionKeys(env, 'WEBHOOK_ENCRYPTION_KEY'),
    signingKeyEncryptionKeys: encryptionKeys(env, 'SIGNING_KEY_ENCRYPTION_KEY'),
    oidcProviders: readOidcSettings(env, (name, problem) => new ConfigError(name, problem)),
    abandonedCartAfterHours: int(env, 'ABANDONED_CART_AFTER_HOURS', 24, 1, 720),
    metricsToken,
    metricsPort: int(env, 'METRICS_PORT', 9464, 0, 65535),
    media: readMediaSettings(
      env,
      dataDir,
      publicUrl,
      (name, problem) => new ConfigError(name, problem),
    ),
    acp: acpSettings(env),
    checkout: Object.freeze({
      reservationTtlSeconds: int(env, 'CHECKOUT_RESERVATION_TTL_SECONDS', 900, 60, 86_400),
      paymentTimeoutMs: int(env, 'PAYMENT_TIMEOUT_MS', 10_000, 100, 120_000),
      reconcileAfterSeconds: int(env, 'PAYMENT_RECONCILE_AFTER_SECONDS', 60, 0, 86_400),
      testProviderDelayMs: int(env, 'PAYMENT_TEST_TIMEOUT_DELAY_MS', 100, 0, 120_000),
      paymentWebhookSecret: str(env, 'PAYMENT_WEBHOOK_SECRET'),
      ...paymentSettings(env, isProduction),
    }),
  })
  const [problem] = productionProblems(config)
  if (problem) throw problem
  return config
}

/** Reads `.env` from the working directory when present; real environment variables win. */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file)
}
