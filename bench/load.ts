import { readdirSync, readFileSync } from 'node:fs'
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
  /** The highest VmRSS seen while sampling, summed over the process tree, in bytes. */
  peakRss: number
  /**
   * VmHWM at the end, summed over the process tree: each process's lifetime peak, start-up and
   * seeding included (for a cluster an upper bound: the peaks need not have coincided).
   */
  highWaterMark: number
  /** The most processes seen in the tree (1 for a single process; a cluster counts its primary). */
  processes: number
}

function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
  return match?.[1] ? Number(match[1]) * 1024 : 0
}

/** `pid` and its descendants, from /proc/<pid>/task/<tid>/children (Linux 3.5+). */
export function processTree(pid: number): number[] {
  const pids = [pid]
  for (let i = 0; i < pids.length; i++) {
    let tasks: string[] = []
    try {
      tasks = readdirSync(`/proc/${pids[i]}/task`)
    } catch {
      continue // gone meanwhile
    }
    for (const task of tasks) {
      try {
        const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, 'utf8')
        for (const child of children.split(' ').filter(Boolean)) pids.push(Number(child))
      } catch {
        // The thread ended meanwhile.
      }
    }
  }
  return pids
}

/** A field of /proc/<pid>/status summed over the process tree; a process that left counts 0. */
function treeBytes(pids: number[], field: 'VmRSS' | 'VmHWM'): number {
  let sum = 0
  for (const pid of pids) {
    try {
      sum += readStatusKb(pid, field)
    } catch {
      // It exited between the listing and the read.
    }
  }
  return sum
}

/**
 * Samples VmRSS of `pid` and its descendants (a cluster's primary, API and worker processes)
 * every `everyMs` until stopped.
 */
export function sampleMemory(pid: number, everyMs = 100): { stop(): MemorySample } {
  let processes = 1
  const sample = () => {
    const pids = processTree(pid)
    processes = Math.max(processes, pids.length)
    return treeBytes(pids, 'VmRSS')
  }
  let peakRss = sample()
  const timer = setInterval(() => (peakRss = Math.max(peakRss, sample())), everyMs)
  return {
    stop() {
      clearInterval(timer)
      peakRss = Math.max(peakRss, sample())
      return { peakRss, highWaterMark: treeBytes(processTree(pid), 'VmHWM'), processes }
    },
  }
}
