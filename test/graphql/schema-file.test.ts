import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { SCHEMA_FILE, TYPES_FILE, generateGraphql } from '../../scripts/generate-graphql.js'

// CI runs this: a change to an SDL fragment shows in review as a diff of schema.graphql.
test('schema.graphql and src/graphql.types.ts are what the SDL fragments generate', async () => {
  const { schema, types } = await generateGraphql()
  const hint = 'run `npm run graphql:generate` and commit the result'
  assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), schema, `schema.graphql is stale: ${hint}`)
  assert.equal(readFileSync(TYPES_FILE, 'utf8'), types, `src/graphql.types.ts is stale: ${hint}`)
})
