import type { Readable } from 'node:stream'

/** One stored object as read back: its bytes as a stream, its size and content type. */
export interface StoredObject {
  body: Readable
  size: number
  contentType: string
}

/**
 * Where uploaded files live: a key (`a/b/c.webp`: lower-case letters, digits, `_`, `-`, `.` and
 * `/` between segments) maps to immutable bytes. Drivers: local disk and S3-compatible.
 */
export interface Storage {
  readonly driver: 'local' | 's3'
  /** Writes the object whole (a reader never sees part of it); overwrites the same key. */
  put(key: string, body: Buffer | Readable, contentType: string): Promise<void>
  /** The object, or undefined when there is none under `key`. */
  get(key: string): Promise<StoredObject | undefined>
  /** Removes the objects; keys that do not exist are ignored (idempotent). */
  delete(keys: readonly string[]): Promise<void>
  /** Whether `key` exists (tests and checks; reads no bytes). */
  exists(key: string): Promise<boolean>
}

const KEY = /^[a-z0-9_-][a-z0-9_.-]*(\/[a-z0-9_-][a-z0-9_.-]*)*$/

/** Whether `key` is a storage key: no `..`, no leading dot or slash, at most 512 characters. */
export function isStorageKey(key: string): boolean {
  return key.length <= 512 && KEY.test(key) && !key.includes('..')
}

export function assertStorageKey(key: string): void {
  if (!isStorageKey(key)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`)
}
