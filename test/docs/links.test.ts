import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

const pages = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'), { recursive: true })
    .map((f) => path.join('docs', String(f)))
    .filter((f) => f.endsWith('.md')),
].sort()

const read = (file: string) => readFileSync(path.join(root, file), 'utf8')

/** Prose only: fenced blocks and inline code may show link-like text that is not a link. */
const prose = (markdown: string) =>
  markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`]*`/g, '')

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')

function anchorsOf(file: string): Set<string> {
  const headings = prose(read(file)).match(/^#{1,6} .+$/gm) ?? []
  return new Set(headings.map((h) => slug(h.replace(/^#+ /, '').replace(/`/g, ''))))
}

function linksOf(file: string): string[] {
  return [...prose(read(file)).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!)
}

describe('README and docs', () => {
  test('every relative link points at a file or folder of the repository', () => {
    const broken: string[] = []
    for (const page of pages) {
      for (const link of linksOf(page)) {
        if (/^[a-z]+:/i.test(link) || link.startsWith('#')) continue
        const target = path.join(root, path.dirname(page), link.split('#')[0]!)
        if (!target.startsWith(root) || !existsSync(target)) broken.push(`${page}: ${link}`)
      }
    }
    assert.deepEqual(broken, [])
  })

  test('every #anchor names a heading of the page it points at', () => {
    const broken: string[] = []
    for (const page of pages) {
      for (const link of linksOf(page)) {
        const [file, anchor] = link.split('#')
        if (anchor === undefined || /^[a-z]+:/i.test(link)) continue
        const target = file ? path.relative(root, path.join(root, path.dirname(page), file)) : page
        if (!existsSync(path.join(root, target)) || statSync(path.join(root, target)).isDirectory())
          continue
        if (!anchorsOf(target).has(anchor)) broken.push(`${page}: ${link}`)
      }
    }
    assert.deepEqual(broken, [])
  })

  test('they name no file that ships outside the repository', () => {
    const offenders = pages.filter((page) => /\.\.\/shared|DESIGN\.md|API\.md/.test(read(page)))
    assert.deepEqual(offenders, [])
  })

  test('docs/configuration.md names every environment variable the code reads', () => {
    // Every source file, not a list of them: the settings readers may move between folders.
    const sources = readdirSync(path.join(root, 'src'), { recursive: true })
      .map((f) => path.join('src', String(f)))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map(read)
    const variables = new Set(
      sources.flatMap((source) => [
        ...[...source.matchAll(/\(env, '([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]!),
        ...[...source.matchAll(/variable: '([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]!),
        ...[...source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!),
      ]),
    )
    assert.ok(variables.has('DATABASE_URL') && variables.has('RATE_LIMIT_AUTH'), 'scan found none')
    const documented = read('docs/configuration.md')
    const missing = [...variables].filter((v) => !documented.includes(`\`${v}\``)).sort()
    assert.deepEqual(missing, [])
  })
})
