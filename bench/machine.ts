import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { serverVersion } from './postgres.js'
import type { Machine } from './report.js'

function cpuTimes(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number)
  const busy =
    (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)
  return { busy, total: busy + (idle ?? 0) + (iowait ?? 0) }
}

/** CPU time (user + system, in clock ticks like /proc/stat's) a process has used so far. */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return 0
  }
}

/**
 * Starts watching how busy the machine's CPUs are with anything but `pids` (the bench and the
 * server under load); `stop` returns that as a share of all CPU time in the window. A PostgreSQL
 * server the scenario queries counts as "other" too.
 */
export function otherCpu(pids: number[]): { stop(): number } {
  const before = cpuTimes()
  const ownBefore = pids.reduce((sum, pid) => sum + processTicks(pid), 0)
  return {
    stop() {
      const after = cpuTimes()
      const own = pids.reduce((sum, pid) => sum + processTicks(pid), 0) - ownBefore
      const total = after.total - before.total
      return total <= 0 ? 0 : Math.max(0, (after.busy - before.busy - own) / total)
    },
  }
}

/** Whether something else is using the CPUs the bench is about to share with its servers. */
export async function busyShare(ms = 1000): Promise<number> {
  const a = cpuTimes()
  await new Promise((resolve) => setTimeout(resolve, ms))
  const b = cpuTimes()
  return b.total === a.total ? 0 : (b.busy - a.busy) / (b.total - a.total)
}

export async function machine(busyBefore: number): Promise<Machine> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')
  return {
    cpus: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    model: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    postgres: await serverVersion(),
    date: new Date().toISOString(),
    busyBefore,
  }
}

export function nodeModulesBytes(root: string): number {
  const out = execFileSync('du', ['-sb', path.join(root, 'node_modules')], { encoding: 'utf8' })
  return Number(out.split(/\s/)[0])
}
