// Writes src/schema.sql: what every migration executes on an empty database, in order, as one
// SQL file that a fresh database runs instead of the migrations (src/platform/db/schema-sql.ts).
// Run after adding a migration: `npx tsx scripts/generate-schema.ts`; the tests fail until then.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { generateSchemaSql } from '../src/platform/db/schema-sql.generate.js'
import { allMigrations } from '../src/composition.js'

const file = fileURLToPath(new URL('../src/schema.sql', import.meta.url))
writeFileSync(file, await generateSchemaSql(allMigrations))
console.log(`wrote ${file}`)
