import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { DataDirInUseError } from '../../src/platform/db/data-dir-lock.js'
import { openDatabase } from '../../src/platform/db/database.js'

const IN_USE =
  /^Invalid configuration: DATA_DIR .+ is in use by another Emporium process \(pid \d+\)/

/** A process that lives until killed, and one that has already exited (a dead pid). */
function sleeper() {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((resolve) => child.on('exit', resolve))
  return child.pid!
}

describe('the embedded database lock (<DATA_DIR>/db.lock)', () => {
  let dataDir: string
  const open = () => openDatabase({ engine: 'pglite', dataDir: path.join(dataDir, 'db') })
  const lockFile = () => path.join(dataDir, 'db.lock')

  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'emporium-lock-'))
  })
  after(() => rmSync(dataDir, { recursive: true, force: true }))

  test('a second open fails with a clear message while the first is open; after close it opens', async () => {
    const first = await open()
    assert.equal(readFileSync(lockFile(), 'utf8').trim(), String(process.pid))
    await assert.rejects(open(), (error: unknown) => {
      assert.ok(error instanceof DataDirInUseError)
      assert.match(error.message, IN_USE)
      assert.ok(error.message.includes(dataDir), 'names the data directory')
      return true
    })
    await first.ping()
    await first.close()
    assert.equal(existsSync(lockFile()), false, 'close removes the lock')
    const again = await open()
    await again.ping()
    await again.close()
  })

  test('a lock held by another live process is refused, naming its pid', async () => {
    const holder = sleeper()
    try {
      writeFileSync(lockFile(), `${holder.pid}\n`)
      await assert.rejects(open(), (error: unknown) => {
        assert.ok(error instanceof DataDirInUseError)
        assert.match(error.message, new RegExp(`\\(pid ${holder.pid}\\)`))
        return true
      })
      assert.equal(readFileSync(lockFile(), 'utf8').trim(), String(holder.pid), 'left alone')
    } finally {
      holder.kill('SIGKILL')
      rmSync(lockFile(), { force: true })
    }
  })

  test('a stale lock (its process is gone) is taken over', async () => {
    writeFileSync(lockFile(), `${await deadPid()}\n`)
    const database = await open()
    assert.equal(readFileSync(lockFile(), 'utf8').trim(), String(process.pid))
    await database.close()
    assert.equal(existsSync(lockFile()), false)
  })

  test('an in-memory database takes no lock', async () => {
    const a = await openDatabase({ engine: 'pglite', dataDir: undefined })
    const b = await openDatabase({ engine: 'pglite', dataDir: undefined })
    await Promise.all([a.ping(), b.ping()])
    await Promise.all([a.close(), b.close()])
  })
})
