import { existsSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import { brotliDecompress } from 'node:zlib'

/**
 * PGlite runs initdb when it finds no database: most of an embedded first start (5 s and more
 * here, on a second wasm instance). What initdb writes depends only on the PGlite build, so
 * `npx tsx scripts/generate-pglite-snapshot.ts` keeps its output beside this file, brotli'd, named
 * after the PGlite version; an empty data directory starts from it instead (ADR 0013). Another
 * PGlite version finds no snapshot of its own and runs initdb as before.
 */

const unbrotli = promisify(brotliDecompress)

/** The installed PGlite's version, read from its package.json. */
export function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  let dir = path.dirname(entry)
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir)
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string })
    .version
}

export function snapshotFile(version = pgliteVersion()): string {
  return new URL(`./pglite-initdb-${version}.tar.br`, import.meta.url).pathname
}

/**
 * A tarball PGlite reads once. PGlite keeps the options it was opened with for the life of the
 * instance, so a plain Blob there pins its bytes: after a first start, 120 MB of ArrayBuffers
 * stayed reachable (ADR 0014). This one hands its bytes over on the first read and drops them.
 */
class ReadOnceTarball extends Blob {
  #bytes: Buffer | undefined
  constructor(bytes: Buffer) {
    super([])
    this.#bytes = bytes
  }
  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#bytes
    if (!bytes) throw new Error('the initdb snapshot was read already')
    this.#bytes = undefined
    // A Buffer this large owns its whole ArrayBuffer; a pooled slice is copied out.
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    return whole ? (bytes.buffer as ArrayBuffer) : new Uint8Array(bytes).buffer
  }
}

/** The initdb snapshot for the installed PGlite as a tarball, or undefined when there is none. */
export async function initdbSnapshot(): Promise<Blob | undefined> {
  const compressed = await readFile(snapshotFile()).catch(() => undefined)
  return compressed ? new ReadOnceTarball(await unbrotli(compressed)) : undefined
}

/** Whether a data directory already holds a database (PGlite resumes it). */
export function holdsDatabase(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'PG_VERSION'))
}
