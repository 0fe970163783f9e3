// `node scripts/with-postgres.mjs <command…>`: runs the command with DATABASE_URL pointing at the
// local PostgreSQL server, starting the server first when it does not answer. The test helper
// makes and drops a throwaway database per test file from that URL, so `postgres` itself is safe.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
const { hostname, port } = new URL(url)

function answers() {
  const args = ['-q', '-h', hostname, '-p', port || '5432']
  return spawnSync('pg_isready', args, { stdio: 'ignore' }).status === 0
}

function startLocalServer() {
  // The machine's own start command for its one Debian cluster, named "main".
  const [version] = readdirSync('/etc/postgresql')
  if (!version) throw new Error('no PostgreSQL cluster under /etc/postgresql')
  console.error(`PostgreSQL does not answer on ${hostname}:${port || 5432}; starting it`)
  spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
    stdio: 'inherit',
  })
}

const command = process.argv.slice(2)
if (command.length === 0) {
  console.error('usage: node scripts/with-postgres.mjs <command> [args…]')
  process.exit(2)
}
if (!answers()) {
  if (['127.0.0.1', 'localhost'].includes(hostname)) startLocalServer()
  const deadline = Date.now() + 60_000
  while (!answers() && Date.now() < deadline) spawnSync('sleep', ['1'])
  if (!answers()) {
    console.error(`PostgreSQL does not answer on ${hostname}:${port || 5432}`)
    process.exit(1)
  }
}
const [program, ...args] = command
const result = spawnSync(program, args, {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: url },
})
process.exit(result.status ?? 1)
