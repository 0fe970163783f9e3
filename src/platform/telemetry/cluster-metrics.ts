import cluster from 'node:cluster'
import { AggregatorRegistry, type Registry } from 'prom-client'
import type { Scrapeable } from './metrics-server.js'

/*
 * A cluster's metrics (`start`/`serve` on PostgreSQL with WEB_CONCURRENCY > 1): the primary asks
 * every child over node:cluster's IPC channel (prom-client's `prom-client:getMetricsReq` and
 * `…Res` messages, which src/cluster.ts neither relays nor reads) and serves the aggregate on
 * METRICS_PORT. Each metric is combined by its `aggregator`: counters and histograms are summed,
 * gauges too unless they say otherwise (the store-wide ones in ./metrics.ts take the max).
 */

/**
 * In a cluster child, answers the primary's requests with `registry` (the runtime's, not
 * prom-client's global one); does nothing in a process on its own.
 */
export function shareMetricsWithPrimary(registry: Registry): void {
  if (!cluster.isWorker) return
  AggregatorRegistry.setRegistries([registry])
  // The constructor installs prom-client's IPC listener (once per process) that answers them.
  void new AggregatorRegistry()
}

/**
 * The primary's view: every connected child's metrics, aggregated. A child that does not answer
 * within 5 s (still starting, or stuck) fails the scrape: prom-client rejects with a timeout.
 */
export function clusterMetrics(): Scrapeable {
  const aggregator = new AggregatorRegistry()
  return {
    async scrape() {
      return { contentType: aggregator.contentType, body: await aggregator.clusterMetrics() }
    },
  }
}
