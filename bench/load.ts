import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import { otherCpu } from './machine.js'

export interface LoadOptions {
  url: string
  connections: number
  durationS: number
  warmupS: number
  /** The server's pid: CPU that neither it nor the bench used is reported as `otherCpu`. */
  serverPid?: number
}

export interface LoadResult {
  rps: number
  p50: number
  p99: number
  requests: number
  /** Responses outside 2xx plus socket errors (timeouts included): any of them spoils the figure. */
  failures: number
  /** What the failures were, e.g. "5xx: 12, timeouts: 3". */
  failureDetail: string
  /** Share of the machine's CPU time other processes used during the measured run. */
  otherCpu?: number
}

function describeFailures(r: autocannon.Result): string {
  const parts: [string, number][] = [
    ['1xx', r['1xx']],
    ['3xx', r['3xx']],
    ['4xx', r['4xx']],
    ['5xx', r['5xx']],
    ['timeouts', r.timeouts],
    ['other socket errors', r.errors - r.timeouts],
  ]
  return parts
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${what}: ${n}`)
    .join(', ')
}

function fire(url: string, connections: number, durationS: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: durationS, timeout: 10 }, (error, result) =>
      error ? reject(error as Error) : resolve(result),
    )
  })
}

/** A warm-up run (JIT, pools, caches) that is thrown away, then the measured run. */
export async function measure(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupS > 0) await fire(options.url, options.connections, options.warmupS)
  const others = otherCpu(
    options.serverPid === undefined ? [process.pid] : [process.pid, options.serverPid],
  )
  const r = await fire(options.url, options.connections, options.durationS)
  const otherShare = others.stop()
  return {
    otherCpu: otherShare,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    failures: r.non2xx + r.errors,
    failureDetail: describeFailures(r),
  }
}

export interface MemorySample {
  /** The highest VmRSS seen while sampling, in bytes. */
  peakRss: number
  /** VmHWM at the end: the process's lifetime peak, start-up and seeding included. */
  highWaterMark: number
}

function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
  return match?.[1] ? Number(match[1]) * 1024 : 0
}

/** Samples VmRSS of `pid` every `everyMs` until stopped. */
export function sampleMemory(pid: number, everyMs = 100): { stop(): MemorySample } {
  let peakRss = readStatusKb(pid, 'VmRSS')
  const timer = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, readStatusKb(pid, 'VmRSS'))
    } catch {
      // The process went away; the samples so far stand and the run reports the failure.
    }
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      let highWaterMark = 0
      try {
        highWaterMark = readStatusKb(pid, 'VmHWM')
        peakRss = Math.max(peakRss, readStatusKb(pid, 'VmRSS'))
      } catch {
        // As above.
      }
      return { peakRss, highWaterMark }
    },
  }
}
