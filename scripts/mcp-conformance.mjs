// `node scripts/mcp-conformance.mjs`: runs the MCP conformance suite's server scenarios against
// /mcp. Starts the store (embedded database in a temporary directory) on a free loopback port,
// waits for /readyz, runs the suite with scripts/mcp-conformance.baseline.yml (the scenarios
// that test the suite's own fixtures), stops the store, and exits with the suite's code.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { createInterface } from 'node:readline'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

async function waitReady(url, child, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (child.exitCode !== null) throw new Error(`the store exited with ${child.exitCode}`)
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`the store was not ready within ${seconds} s`)
}

/**
 * Runs the suite with its output passed through, its `N passed, N failed` counts reworded: CI
 * reads a line of that shape as the closing count of the whole run, which these are not.
 */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
    const lines = createInterface({ input: child.stdout })
    lines.on('line', (line) =>
      console.log(line.replace(/(\d+) passed, (\d+) failed/g, '$1 passing, $2 failing')),
    )
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

const port = await freePort()
const dataDir = mkdtempSync(path.join(tmpdir(), 'emporium-mcp-conformance-'))
const store = spawn(process.execPath, ['scripts/start.mjs', 'start'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // The suite tests the protocol, not the limits: dozens of connections from one address.
    RATE_LIMIT_DEFAULT: '10000/60',
  },
})
let code = 1
try {
  await waitReady(`http://127.0.0.1:${port}/readyz`, store, 60)
  const output = mkdtempSync(path.join(tmpdir(), 'emporium-mcp-conformance-results-'))
  code = await run(path.join(root, 'node_modules', '.bin', 'conformance'), [
    'server',
    '--url',
    `http://localhost:${port}/mcp`,
    '--expected-failures',
    path.join(root, 'scripts', 'mcp-conformance.baseline.yml'),
    '--output-dir',
    output,
  ])
  rmSync(output, { recursive: true, force: true })
} catch (error) {
  console.error(String(error))
} finally {
  store.kill('SIGTERM')
  await new Promise((resolve) =>
    store.exitCode !== null ? resolve() : store.once('exit', resolve),
  )
  rmSync(dataDir, { recursive: true, force: true })
}
process.exit(code)
