// `npm install`'s prepare step: builds the staff dashboard (admin/dist) when the dev dependencies
// that build it are installed. A production install (`npm ci --omit=dev`) has none of them and
// skips the build instead of failing; /admin then says how to build it.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
if (!existsSync(`${root}node_modules/vite`)) {
  console.log(
    'prepare: dev dependencies are not installed; the dashboard (admin/dist) is not built',
  )
  process.exit(0)
}
const result = spawnSync('npm', ['run', 'admin:build'], { cwd: root, stdio: 'inherit' })
process.exit(result.status ?? 1)
