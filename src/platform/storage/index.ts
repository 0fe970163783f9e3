import { createLocalStorage } from './local-storage.js'
import { createS3Storage } from './s3-storage.js'
import type { MediaSettings } from './settings.js'
import type { Storage } from './storage.js'

export type { Storage, StoredObject } from './storage.js'
export { isStorageKey } from './storage.js'
export { readMediaSettings, type MediaSettings } from './settings.js'
export { createLocalStorage } from './local-storage.js'
export { createS3Storage, type S3StorageSettings } from './s3-storage.js'

/** The storage driver the settings name. */
export function createStorage(settings: MediaSettings['storage']): Storage {
  if (settings.driver === 's3') {
    const { driver: _driver, ...s3 } = settings
    return createS3Storage(s3)
  }
  return createLocalStorage(settings.dir)
}
