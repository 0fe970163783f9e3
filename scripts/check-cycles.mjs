// `npm run lint:cycles`: fails when the relative imports under `src/` form a circle, type-only
// imports included (a circle of types is still a circle in the design). TypeScript's own
// pre-processor lists each file's imports, so no bundler-sized dependency is needed for this.
// One exception: the generated `graphql.types.ts` mirrors the SDL, and its codegen mappers name
// the DTO each module's resolvers return. Those type-only edges point back at the modules that
// import the mirror by construction, so they are left out; every other edge counts.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

const root = path.resolve(process.argv[2] ?? 'src')
const files = readdirSync(root, { recursive: true })
  .map((f) => path.join(root, String(f)))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))

/** `./x.js` as written in ESM TypeScript resolves to `./x.ts` (or `./x/index.ts`). */
function resolve(from, specifier) {
  if (!specifier.startsWith('.')) return undefined
  const target = path.resolve(path.dirname(from), specifier)
  for (const candidate of [target.replace(/\.js$/, '.ts'), target, path.join(target, 'index.ts')])
    if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate
  return undefined
}

const generated = path.join(root, 'graphql.types.ts')
const edges = new Map(
  files.map((file) => {
    if (file === generated) return [file, []]
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    const targets = importedFiles.map((i) => resolve(file, i.fileName)).filter(Boolean)
    return [file, [...new Set(targets)]]
  }),
)

// Depth-first search; an edge back to a file still on the stack closes a circle.
const state = new Map()
const stack = []
const circles = []
function visit(file) {
  state.set(file, 'open')
  stack.push(file)
  for (const next of edges.get(file) ?? []) {
    if (state.get(next) === 'open') circles.push([...stack.slice(stack.indexOf(next)), next])
    else if (!state.has(next)) visit(next)
  }
  stack.pop()
  state.set(file, 'done')
}
for (const file of files) if (!state.has(file)) visit(file)

const show = (f) => path.relative(root, f)
if (circles.length === 0) {
  console.log(`no import circles in ${files.length} files under ${path.relative('.', root)}/`)
} else {
  console.error(`${circles.length} import circle(s) under ${path.relative('.', root)}/:`)
  for (const circle of circles) console.error(`  ${circle.map(show).join(' > ')}`)
  process.exitCode = 1
}
