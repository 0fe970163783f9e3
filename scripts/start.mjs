// `npm start` (and serve, worker, migrate, seed): runs Emporium as plain JavaScript. The sources
// under src/ are transpiled with esbuild (no type check: `npm run typecheck` does that) into
// dist/<fingerprint>/ when any of them changed since the last build, the files that are not
// TypeScript (templates, the password list) are copied beside them, and the built main runs in
// this process with the same arguments. Development keeps tsx (`npm run dev`): see ADR 0007.
// `node scripts/start.mjs --build` only builds (when due) and prints the build's folder: the
// container image runs that folder's main.js directly (Dockerfile).
import { createHash, randomBytes } from 'node:crypto'
import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const src = path.join(root, 'src')
const dist = path.join(root, 'dist')
/** Builds kept beside the current one: a process started from an older build may still read it. */
const KEEP = 3

function sources() {
  return readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.test.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
}

/** Changes with any source's path, size or modification time, and with this script and esbuild. */
function fingerprint(files) {
  const hash = createHash('sha256')
  for (const file of [fileURLToPath(import.meta.url), ...files]) {
    const { size, mtimeMs } = statSync(file)
    hash.update(`${path.relative(root, file)}\0${size}\0${mtimeMs}\n`)
  }
  return hash.digest('hex').slice(0, 16)
}

async function build(files, target) {
  // Imported only when a build is due: a start from an up-to-date build does not load esbuild.
  const { build: esbuild, stop, version } = await import('esbuild')
  const started = performance.now()
  const staging = path.join(dist, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`)
  const ts = files.filter((file) => file.endsWith('.ts'))
  await esbuild({
    entryPoints: ts,
    outdir: staging,
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  })
  // esbuild's service process would otherwise live as long as Emporium does.
  await stop()
  for (const file of files.filter((f) => !f.endsWith('.ts'))) {
    cpSync(file, path.join(staging, path.relative(src, file)))
  }
  try {
    renameSync(staging, target)
  } catch (error) {
    // Another start built the same sources at the same time: theirs is as good as ours.
    rmSync(staging, { recursive: true, force: true })
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error
  }
  const ms = Math.round(performance.now() - started)
  console.error(`emporium: built ${ts.length} files with esbuild ${version} in ${ms} ms`)
}

function prune(current) {
  // A staging folder outlives its start only when that start died while building.
  for (const e of readdirSync(dist, { withFileTypes: true })) {
    const dir = path.join(dist, e.name)
    if (e.name.startsWith('.staging-') && Date.now() - statSync(dir).mtimeMs > 600_000) {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const builds = readdirSync(dist, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== current && /^[0-9a-f]{16}$/.test(e.name))
    .map((e) => ({ dir: path.join(dist, e.name), at: statSync(path.join(dist, e.name)).mtimeMs }))
    .sort((a, b) => b.at - a.at)
  for (const { dir } of builds.slice(KEEP - 1)) rmSync(dir, { recursive: true, force: true })
}

const files = sources()
const id = fingerprint(files)
const target = path.join(dist, id)
const entry = path.join(target, 'main.js')
mkdirSync(dist, { recursive: true })
let built = false
try {
  statSync(entry)
} catch {
  await build(files, target)
  built = true
}
if (built) prune(id)
if (process.argv[2] === '--build') {
  console.log(target)
  process.exit(0)
}
// The built main reads process.argv itself: `node scripts/start.mjs serve` runs `serve`.
await import(pathToFileURL(entry).href)
