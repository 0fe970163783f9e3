import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3'
import type { Readable } from 'node:stream'
import { assertStorageKey, type Storage, type StoredObject } from './storage.js'

/** An S3-compatible bucket (AWS S3, MinIO, R2, …); see docs/configuration.md for each field. */
export interface S3StorageSettings {
  bucket: string
  region: string
  /** Another endpoint than AWS's (MinIO, R2, a local server); unset: AWS's for `region`. */
  endpoint: string | undefined
  /** Path-style addressing (`endpoint/bucket/key`), which most non-AWS servers need. */
  forcePathStyle: boolean
  /** Unset: the AWS SDK's default chain (environment, profile, instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined
  /** Prepended to every key, e.g. `media/`. */
  prefix: string
}

function notFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === 'NoSuchKey' ||
      error.name === 'NotFound' ||
      error.$metadata.httpStatusCode === 404)
  )
}

export function createS3Storage(settings: S3StorageSettings): Storage & { close(): void } {
  const client = new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  })
  const Bucket = settings.bucket
  const keyOf = (key: string): string => {
    assertStorageKey(key)
    return `${settings.prefix}${key}`
  }
  return {
    driver: 's3',
    async put(key, body, contentType) {
      const Key = keyOf(key)
      // A stream of unknown length cannot be signed in one PUT: it is read whole first.
      const bytes = Buffer.isBuffer(body) ? body : Buffer.concat(await body.toArray())
      await client.send(
        new PutObjectCommand({ Bucket, Key, Body: bytes, ContentType: contentType }),
      )
    },
    async get(key): Promise<StoredObject | undefined> {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(key) }))
        return {
          body: object.Body as Readable,
          size: object.ContentLength ?? 0,
          contentType: object.ContentType ?? 'application/octet-stream',
        }
      } catch (error) {
        if (notFound(error)) return undefined
        throw error
      }
    },
    async delete(keys) {
      if (keys.length === 0) return
      const Objects = keys.map((key) => ({ Key: keyOf(key) }))
      const result = await client.send(
        new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } }),
      )
      const failed = (result.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey')
      if (failed.length > 0) throw new Error(`S3 delete failed for ${failed.length} object(s)`)
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(key) }))
        return true
      } catch (error) {
        if (notFound(error)) return false
        throw error
      }
    },
    close: () => client.destroy(),
  }
}
