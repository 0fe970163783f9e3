import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs'

/**
 * The embedded database is one process's: a second PGlite on the same data directory corrupts
 * it. `<DATA_DIR>/db.lock` holds the pid of the process that opened it; a lock whose process is
 * gone (a crash, a kill -9) is taken over.
 */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `Invalid configuration: DATA_DIR ${dataDir} is in use by another Emporium process (pid ${pid}): ` +
        'the embedded database takes one process; stop that one, or set another DATA_DIR',
    )
    this.name = 'DataDirInUseError'
  }
}

/** Lock files this process holds: a second open in the same process is refused as well. */
const held = new Set<string>()

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function create(file: string): boolean {
  try {
    const fd = openSync(file, 'wx')
    try {
      writeSync(fd, `${process.pid}\n`)
    } finally {
      closeSync(fd)
    }
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

/**
 * Takes `file` for this process or throws DataDirInUseError naming the live holder; returns the
 * release, which removes the file if it is still ours.
 */
export function lockDataDir(file: string, dataDir: string): () => void {
  if (held.has(file)) throw new DataDirInUseError(dataDir, process.pid)
  for (let attempt = 0; ; attempt++) {
    if (create(file)) break
    const pid = readPid(file)
    // Our own pid in a file we do not hold is a leftover of an earlier process with that pid.
    if (pid !== undefined && pid !== process.pid && isAlive(pid)) {
      throw new DataDirInUseError(dataDir, pid)
    }
    // Stale (its process is gone, or an unreadable leftover): remove it and try once more. A
    // second failure means another process took it between our two attempts.
    if (attempt > 0) throw new DataDirInUseError(dataDir, pid ?? 0)
    try {
      unlinkSync(file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
  held.add(file)
  return () => {
    if (!held.delete(file)) return
    try {
      if (readPid(file) === process.pid) unlinkSync(file)
    } catch {
      // Already gone: nothing to release.
    }
  }
}
