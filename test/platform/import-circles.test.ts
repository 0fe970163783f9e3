import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'

const script = path.resolve('scripts/check-cycles.mjs')
const dirs: string[] = []
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'emporium-cycles-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), text)
  }
  return dir
}

const check = (dir: string) => spawnSync(process.execPath, [script, dir], { encoding: 'utf8' })

describe('the import-circle check (npm run lint:cycles)', () => {
  test('fails on a circle made of type-only imports through a folder door, naming it', () => {
    const result = check(
      tree({
        'a/index.ts': "export type { B } from '../b/index.js'\nexport type A = 1\n",
        'b/index.ts': "import type { A } from '../a/index.js'\nexport type B = A\n",
        'c.ts': "import type { A } from './a/index.js'\nexport type C = A\n",
      }),
    )
    assert.equal(result.status, 1)
    assert.match(result.stderr, /a\/index\.ts > b\/index\.ts > a\/index\.ts/)
  })

  test('passes a tree whose imports only run one way', () => {
    const result = check(
      tree({
        'a.ts': "import { b } from './b.js'\nexport const a = b\n",
        'b.ts': 'export const b = 1\n',
      }),
    )
    assert.equal(result.status, 0, result.stderr)
  })

  test('finds no circle in src', () => {
    const result = check(path.resolve('src'))
    assert.equal(result.status, 0, result.stderr)
  })
})
