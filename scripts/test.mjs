// Node 20's test runner takes no globs: find the test files, then run them all under tsx.
// `npm test -- test/catalog` narrows the run to files under the given paths.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'))

function find(root) {
  if (statSync(root).isFile()) return [root]
  return readdirSync(root, { recursive: true })
    .map((f) => path.join(root, String(f)))
    .filter((f) => f.endsWith('.test.ts') && !f.includes('node_modules'))
}

const files = (roots.length > 0 ? roots : ['src', 'test']).flatMap(find).sort()
if (files.length === 0) {
  console.error('no test files found')
  process.exit(1)
}
// The dashboard's tests drive its build: make it once here (npm install's prepare step normally
// has), rather than in several test files at once.
const needsDashboard = files.some((f) => f.split(path.sep).join('/').includes('test/admin/'))
if (needsDashboard && !existsSync('admin/dist/index.html')) {
  const built = spawnSync('npm', ['run', 'admin:build'], { stdio: 'inherit' })
  if (built.status !== 0) process.exit(built.status ?? 1)
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...flags, ...files],
  { stdio: 'inherit' },
)
process.exit(result.status ?? 1)
