// Node 20's test runner takes no globs: find the test files, then run them all under tsx.
// `npm test -- test/catalog` narrows the run to files under the given paths.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
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
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...flags, ...files],
  { stdio: 'inherit' },
)
process.exit(result.status ?? 1)
