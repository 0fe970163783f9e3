import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import sharp from 'sharp'
import {
  createLocalStorage,
  createS3Storage,
  readMediaSettings,
  type Storage,
} from '../../src/platform/storage/index.js'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { fetchMedia, imageBytes, keyOf, upload, type UploadedImage } from '../helpers/media.js'
import { startLocalS3, type LocalS3 } from '../helpers/s3-server.js'

let s3: LocalS3
let dir: string

before(async () => {
  s3 = await startLocalS3()
  dir = await mkdtemp(path.join(tmpdir(), 'emporium-storage-'))
})
after(async () => {
  await s3.close()
  await rm(dir, { recursive: true, force: true })
})

function s3Storage(): Storage {
  const settings = readMediaSettings(s3.env, dir, 'http://x', (name, problem) => {
    throw new Error(`${name} ${problem}`)
  })
  assert.equal(settings.storage.driver, 's3')
  const { driver: _driver, ...options } = settings.storage as typeof settings.storage & {
    driver: 's3'
  }
  return createS3Storage(options)
}

for (const driver of ['local', 's3'] as const) {
  describe(`the ${driver} storage driver`, () => {
    const storage = () => (driver === 'local' ? createLocalStorage(dir) : s3Storage())

    test('put, get (a stream with size and type), exists, delete (idempotent)', async () => {
      const store = storage()
      const bytes = Buffer.from('\x89PNG fake bytes for a storage round trip')
      await store.put('images/img_a/abc.png', bytes, 'image/png')
      await store.put('images/img_a/def.webp', Readable.from([bytes, bytes]), 'image/webp')
      const got = await store.get('images/img_a/abc.png')
      assert.ok(got)
      assert.equal(got.contentType, 'image/png')
      assert.equal(got.size, bytes.length)
      assert.deepEqual(Buffer.concat(await got.body.toArray()), bytes)
      assert.equal((await store.get('images/img_a/def.webp'))?.size, bytes.length * 2)
      assert.equal(await store.exists('images/img_a/abc.png'), true)
      await store.delete(['images/img_a/abc.png', 'images/img_a/def.webp', 'images/none.png'])
      assert.equal(await store.exists('images/img_a/abc.png'), false)
      assert.equal(await store.get('images/img_a/abc.png'), undefined)
      await store.delete(['images/img_a/abc.png'])
    })

    test('refuses keys that could leave its root', async () => {
      const store = storage()
      for (const key of ['../x.png', '/etc/passwd', 'a/../../b', 'A/B.png', '']) {
        await assert.rejects(store.put(key, Buffer.from('x'), 'image/png'), /invalid storage key/)
      }
    })
  })
}

describe('product images on S3', () => {
  let ctx: TestContext
  let staff: string
  before(async () => {
    ctx = await createTestContext(s3.env)
    staff = await ctx.tokenFor('staff')
  })
  after(() => ctx.close())

  test('upload stores in the bucket under the prefix, /media streams it back, removal deletes it', async () => {
    const product = await createProduct(ctx, staff)
    const res = await upload(ctx, staff, product.id, {
      bytes: await imageBytes('png', 640, 480),
      filename: 'a.png',
      contentType: 'image/png',
    })
    assert.equal(res.statusCode, 201, res.body)
    const image = res.json() as UploadedImage
    const key = keyOf(ctx, image.url)
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    })
    const object = await client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: `shop/${key}` }),
    )
    assert.equal(object.ContentType, 'image/png')
    const served = await fetchMedia(ctx, image.thumbnails.medium)
    assert.equal(served.statusCode, 200)
    assert.equal(served.headers['content-type'], 'image/webp')
    assert.match(String(served.headers['cache-control']), /immutable/)
    assert.equal((await sharp(served.rawPayload).metadata()).width, 600)

    const store = s3Storage()
    const keys = [image.url, image.thumbnails.small, image.thumbnails.medium].map((u) =>
      keyOf(ctx, u),
    )
    const removed = await ctx
      .as(staff)
      .delete(`/v1/admin/products/${product.id}/images/${image.id}`)
    assert.equal(removed.statusCode, 204)
    for (const k of keys) assert.equal(await store.exists(k), false, k)

    const second = (
      await upload(ctx, staff, product.id, {
        bytes: await imageBytes('jpeg', 300, 200),
        filename: 'b.jpg',
        contentType: 'image/jpeg',
      })
    ).json() as UploadedImage
    assert.equal(await store.exists(keyOf(ctx, second.url)), true)
    assert.equal((await ctx.as(staff).delete(`/v1/admin/products/${product.id}`)).statusCode, 204)
    assert.equal(await store.exists(keyOf(ctx, second.url)), false)
    client.destroy()
  })
})
