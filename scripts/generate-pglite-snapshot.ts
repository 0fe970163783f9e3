// Writes src/platform/db/pglite-initdb-<version>.tar.br: the data directory initdb creates for the
// installed PGlite, which an empty data directory starts from (src/platform/db/pglite-snapshot.ts).
// Run after upgrading PGlite (the tests fail until then) and delete the old version's file.
import { writeFileSync } from 'node:fs'
import { constants, brotliCompressSync } from 'node:zlib'
import { PGlite } from '@electric-sql/pglite'
import { snapshotFile } from '../src/platform/db/pglite-snapshot.js'

const pglite = new PGlite()
await pglite.waitReady
await pglite.exec('checkpoint')
const tar = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer())
await pglite.close()
const compressed = brotliCompressSync(tar, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 11,
    [constants.BROTLI_PARAM_LGWIN]: 24,
    [constants.BROTLI_PARAM_SIZE_HINT]: tar.length,
  },
})
writeFileSync(snapshotFile(), compressed)
console.log(`wrote ${snapshotFile()}: ${tar.length} bytes, ${compressed.length} compressed`)
