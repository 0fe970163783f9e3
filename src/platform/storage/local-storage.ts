import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { assertStorageKey, type Storage, type StoredObject } from './storage.js'

const TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
}

/** The content type a local file is served with, from its key's extension. */
function typeOf(key: string): string {
  return TYPES[path.extname(key)] ?? 'application/octet-stream'
}

/**
 * Files under `root`, one per key. A write goes to a temporary file in the same folder and is
 * renamed into place, so a reader never sees half a file.
 */
export function createLocalStorage(root: string): Storage {
  const fileOf = (key: string): string => {
    assertStorageKey(key)
    return path.join(root, ...key.split('/'))
  }
  return {
    driver: 'local',
    async put(key, body, _contentType) {
      const file = fileOf(key)
      await mkdir(path.dirname(file), { recursive: true })
      const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`
      try {
        if (Buffer.isBuffer(body)) await writeFile(temp, body)
        else await pipeline(body, createWriteStream(temp))
        await rename(temp, file)
      } catch (error) {
        await rm(temp, { force: true })
        throw error
      }
    },
    async get(key): Promise<StoredObject | undefined> {
      const file = fileOf(key)
      const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined
        throw error
      })
      if (!info?.isFile()) return undefined
      return { body: createReadStream(file), size: info.size, contentType: typeOf(key) }
    },
    async delete(keys) {
      await Promise.all(keys.map((key) => rm(fileOf(key), { force: true })))
    },
    async exists(key) {
      return (await stat(fileOf(key)).catch(() => undefined))?.isFile() ?? false
    },
  }
}
