import cluster, { type Worker } from 'node:cluster'
import { fileURLToPath } from 'node:url'
import type { Logger } from 'pino'
import { RateLimiterClusterMaster } from 'rate-limiter-flexible'
import type { Config } from './config.js'
import { isPeerMessage, type PeerRole } from './platform/cluster/peers.js'
import { isStatusMessage, type ChildStatus } from './platform/cluster/status.js'
import { clusterMetrics } from './platform/telemetry/cluster-metrics.js'
import { startMetricsServer } from './platform/telemetry/metrics-server.js'

/** One process the primary keeps running: forked again with backoff when it dies. */
interface Slot {
  role: PeerRole
  worker?: Worker
  startedAt: number
  /** The delay before the next restart: doubles while the process keeps dying young. */
  backoffMs: number
  ready: boolean
  restart?: NodeJS.Timeout
}

const BACKOFF_MIN_MS = 500
const BACKOFF_MAX_MS = 30_000
/** A process that ran this long before it died is restarted after the shortest delay again. */
const STABLE_MS = 60_000
/** The children stop themselves within 25 s (src/roles.ts); this is the primary's last resort. */
const STOP_TIMEOUT_MS = 30_000

/** The built (or, under tsx, the source) main beside this file: children run the same code. */
const MAIN = fileURLToPath(import.meta.url).replace(/cluster\.(ts|js)$/, 'main.$1')

/**
 * The primary of `start` (N API processes and one worker process) or `serve` (N API processes)
 * on PostgreSQL. It loads none of the modules: it forks the first child (the worker, or the first
 * API process), which applies the migrations, then the others; relays the children's messages to
 * one another (catalog cache bumps, watched events, relay wake-ups) and keeps the cluster's shared
 * rate-limit counters when there is no Redis; serves the children's aggregated metrics on
 * METRICS_PORT (prom-client's own IPC messages, not relayed). SIGTERM/SIGINT stop every child
 * gracefully.
 */
export async function supervise(
  role: 'start' | 'serve',
  processes: number,
  config: Config,
  logger: Logger,
): Promise<void> {
  const started = Date.now()
  const slots: Slot[] = [
    ...(role === 'start' ? [newSlot('worker')] : []),
    ...Array.from({ length: processes }, () => newSlot('serve')),
  ]
  const byWorker = new Map<Worker, Slot>()
  let stopping = false
  let everReady = false
  // rate-limiter-flexible's cluster store: the children's RateLimiterCluster counters live here.
  if (!config.redisUrl) new RateLimiterClusterMaster()
  // Before any child: a taken METRICS_PORT stops the start (main prints the error).
  const metricsServer =
    config.metricsPort > 0
      ? await startMetricsServer({
          metrics: clusterMetrics(),
          port: config.metricsPort,
          host: config.host,
          token: config.metricsToken,
          logger,
        })
      : undefined

  const fork = (slot: Slot) => {
    cluster.setupPrimary({ exec: MAIN, args: [slot.role] })
    const worker = cluster.fork()
    Object.assign(slot, { worker, startedAt: Date.now(), ready: false })
    byWorker.set(worker, slot)
  }

  const onStatus = (slot: Slot, status: ChildStatus) => {
    if (status === 'migrated' && slot === slots[0] && !everReady) {
      for (const other of slots.slice(1)) if (!other.worker) fork(other)
    }
    if (status !== 'ready') return
    slot.ready = true
    if (everReady || !slots.every((s) => s.ready)) return
    everReady = true
    logger.info(
      { startupMs: Date.now() - started, engine: 'postgres', apiProcesses: processes },
      `Emporium is ready: API ${config.publicUrl}/v1/products · docs ${config.publicUrl}/docs · ${processes} API processes${role === 'start' ? ' and a worker process' : ''}`,
    )
  }

  cluster.on('message', (worker, message: unknown) => {
    const slot = byWorker.get(worker)
    if (!slot) return
    if (isStatusMessage(message)) return onStatus(slot, message.status)
    if (!isPeerMessage(message)) return
    for (const [other, { role: otherRole }] of byWorker) {
      if (other === worker || (message.to && message.to !== otherRole)) continue
      if (other.isConnected()) other.send(message, undefined, () => undefined)
    }
  })

  const stopAll = (signal: string, exitCode: number) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down: stopping every process')
    for (const slot of slots) clearTimeout(slot.restart)
    void metricsServer?.close().catch(() => undefined)
    for (const worker of byWorker.keys()) worker.process.kill('SIGTERM')
    setTimeout(() => {
      logger.error('processes still running after 30 s; killing them')
      for (const worker of byWorker.keys()) worker.process.kill('SIGKILL')
      process.exit(1)
    }, STOP_TIMEOUT_MS).unref()
    if (byWorker.size === 0) process.exit(exitCode)
    process.exitCode = exitCode
  }

  cluster.on('exit', (worker, code, signal) => {
    const slot = byWorker.get(worker)
    byWorker.delete(worker)
    if (stopping) {
      if (byWorker.size === 0) {
        logger.info('stopped')
        process.exit()
      }
      return
    }
    if (!slot) return
    const pid = worker.process.pid
    if (!everReady) {
      logger.error({ role: slot.role, pid, code, signal }, 'a process failed to start')
      return stopAll('startup failure', 1)
    }
    const ranMs = Date.now() - slot.startedAt
    slot.backoffMs =
      ranMs >= STABLE_MS ? BACKOFF_MIN_MS : Math.min(BACKOFF_MAX_MS, slot.backoffMs * 2)
    logger.error(
      { role: slot.role, pid, code, signal, restartInMs: slot.backoffMs },
      'a process exited; restarting it',
    )
    slot.worker = undefined
    slot.restart = setTimeout(() => fork(slot), slot.backoffMs)
  })

  process.once('SIGTERM', () => stopAll('SIGTERM', 0))
  process.once('SIGINT', () => stopAll('SIGINT', 0))
  fork(slots[0]!)
}

function newSlot(role: PeerRole): Slot {
  return { role, startedAt: 0, backoffMs: BACKOFF_MIN_MS / 2, ready: false }
}
