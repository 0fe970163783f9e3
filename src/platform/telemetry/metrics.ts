import { createHash, timingSafeEqual } from 'node:crypto'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

/** What a checkout ended in, as `emporium_checkouts_total{outcome}` counts it. */
export type CheckoutOutcome = 'paid' | 'declined' | 'out_of_stock' | 'timeout' | 'error'
export type WebhookDeliveryOutcome = 'succeeded' | 'retrying' | 'failed'

/** A gauge read when Prometheus scrapes: it sets its own values on `gauge`. */
export type ScrapeReader<L extends string> = (gauge: Gauge<L>) => Promise<void> | void

/**
 * The Prometheus series of one process (docs/operations.md lists them). Each runtime has its own
 * registry, not prom-client's global one, so several runtimes in one process (tests) stay apart.
 * Counters and histograms are fed where things happen; gauges marked "at scrape" are read by the
 * reader their owner registers with `readAtScrape`, so an idle process costs nothing.
 */
export interface Metrics {
  readonly registry: Registry
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>
  /** At scrape. */
  readonly outboxPending: Gauge
  /** At scrape. */
  readonly outboxLagSeconds: Gauge
  readonly checkouts: Counter<'outcome'>
  readonly orders: Counter<'status'>
  readonly webhookDeliveries: Counter<'outcome'>
  /** At scrape. */
  readonly webhookEndpointsDisabled: Gauge
  readonly cacheRequests: Counter<'cache' | 'result'>
  readonly rateLimitRejections: Counter<'policy'>
  readonly dbQueryDuration: Histogram<'engine'>
  /** At scrape. */
  readonly dbPoolConnections: Gauge<'state'>
  /** At scrape. */
  readonly jobQueueDepth: Gauge<'queue'>
  readonly jobFailures: Counter<'queue'>
  /** Sets the reader of a scrape-time gauge (one per gauge; a later one replaces it). */
  readAtScrape<L extends string>(gauge: Gauge<L>, reader: ScrapeReader<L>): void
  /** The exposition text and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>
}

export interface MetricsOptions {
  /** Default process metrics (CPU, memory, event loop, GC); default true. */
  defaultMetrics?: boolean
  /** A reader that threw: its gauge keeps its last values and the scrape goes on. */
  onReadError?: (gauge: string, error: unknown) => void
}

const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry()
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry })
  const registers = [registry]
  const readers = new Map<Gauge<string>, ScrapeReader<string>>()

  /**
   * `storeWide`: every process reads the same store-wide value, so a cluster's primary takes the
   * max of its children's (./cluster-metrics.ts) instead of summing them.
   */
  function scraped<L extends string>(
    name: string,
    help: string,
    labelNames: L[] = [],
    storeWide = false,
  ) {
    return new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      aggregator: storeWide ? 'max' : 'sum',
      async collect() {
        const reader = readers.get(this as Gauge<string>)
        if (!reader) return
        try {
          await reader(this as Gauge<string>)
        } catch (error) {
          options.onReadError?.(name, error)
        }
      },
    })
  }
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name, help, labelNames, registers })

  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: HTTP_BUCKETS,
      registers,
    }),
    outboxPending: scraped('emporium_outbox_pending', 'Outbox events not yet published.', [], true),
    outboxLagSeconds: scraped(
      'emporium_outbox_lag_seconds',
      'Age of the oldest unpublished outbox event (0 when none).',
      [],
      true,
    ),
    checkouts: counter('emporium_checkouts_total', 'Checkouts by outcome.', ['outcome']),
    orders: counter('emporium_orders_total', 'Orders reaching a status.', ['status']),
    webhookDeliveries: counter(
      'emporium_webhook_deliveries_total',
      'Webhook delivery attempts by outcome.',
      ['outcome'],
    ),
    webhookEndpointsDisabled: scraped(
      'emporium_webhook_endpoints_disabled',
      'Webhook endpoints switched off by the circuit breaker.',
      [],
      true,
    ),
    cacheRequests: counter('emporium_cache_requests_total', 'Cache lookups by cache and result.', [
      'cache',
      'result',
    ]),
    rateLimitRejections: counter(
      'emporium_rate_limit_rejections_total',
      'Requests refused by a rate limit, by policy.',
      ['policy'],
    ),
    dbQueryDuration: new Histogram({
      name: 'emporium_db_query_duration_seconds',
      help: 'Database query duration (queries through Kysely).',
      labelNames: ['engine'],
      buckets: DB_BUCKETS,
      registers,
    }),
    dbPoolConnections: scraped(
      'emporium_db_pool_connections',
      'Database pool connections by state.',
      ['state'],
    ),
    jobQueueDepth: scraped(
      'emporium_job_queue_depth',
      'Jobs queued, retrying or running, per queue.',
      ['queue'],
      true,
    ),
    jobFailures: counter('emporium_job_failures_total', 'Job runs that threw, per queue.', [
      'queue',
    ]),
    readAtScrape(gauge, reader) {
      readers.set(gauge as Gauge<string>, reader as ScrapeReader<string>)
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() }
    },
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * Whether an `Authorization` header carries `Bearer <token>`: always true without a token. The
 * hashes are compared in constant time (equal lengths whatever was sent).
 */
export function scrapeAuthorized(header: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true
  const sent = /^Bearer (\S+)$/i.exec(header ?? '')?.[1]
  if (sent === undefined) return false
  return timingSafeEqual(digest(sent), digest(token))
}
