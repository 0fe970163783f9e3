// What every part of a bench run shares: its log, the problems it found (any of them makes the
// run exit 2), and the clean-up steps that stop servers and remove files even when it fails.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Child } from './servers.js'

export const notes: string[] = []
const cleanups: (() => Promise<unknown>)[] = []

export const log = (message: string) => console.log(`[bench] ${message}`)

export function onCleanup(step: () => Promise<unknown>): void {
  cleanups.push(step)
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Stops a server, remembering it so a failed run still stops it; SIGTERM must end in exit 0. */
export function track(child: Child): () => Promise<void> {
  let stopped: Promise<void> | undefined
  const stop = () =>
    (stopped ??= child.stop().then((code) => {
      if (code !== 0) {
        notes.push(`${child.name} exited with code ${code} after SIGTERM (expected 0).`)
      }
    }))
  cleanups.push(stop)
  return stop
}

/** Runs the clean-up steps, newest first. */
export async function cleanup(): Promise<void> {
  for (const step of cleanups.reverse())
    await step().catch((e: unknown) => log(`cleanup: ${String(e)}`))
  cleanups.length = 0
}
