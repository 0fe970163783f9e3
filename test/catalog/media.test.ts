import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import sharp from 'sharp'
import { createStorage, type Storage } from '../../src/platform/storage/index.js'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import {
  fetchMedia,
  filesUnder,
  imageBytes,
  keyOf,
  multipart,
  twoTone,
  upload,
  type UploadedImage,
} from '../helpers/media.js'

let ctx: TestContext
let staff: string
let dir: string
let storage: Storage

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'emporium-media-'))
  ctx = await createTestContext({ MEDIA_DIR: dir })
  staff = await ctx.tokenFor('staff')
  storage = createStorage(ctx.config.media.storage)
})
after(async () => {
  await ctx.close()
  await rm(dir, { recursive: true, force: true })
})

const jpeg = async (width = 800, height = 400) => ({
  bytes: await imageBytes('jpeg', width, height),
  filename: 'photo.jpg',
  contentType: 'image/jpeg',
})

async function uploaded(productId: string, file: Awaited<ReturnType<typeof jpeg>>, alt?: string) {
  const res = await upload(ctx, staff, productId, file, alt === undefined ? {} : { alt })
  assert.equal(res.statusCode, 201, res.body)
  return res.json() as UploadedImage
}

function keysOf(image: UploadedImage): string[] {
  return [image.url, image.thumbnails.small, image.thumbnails.medium].map((u) => keyOf(ctx, u))
}

describe('upload', () => {
  for (const [format, type] of [
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['webp', 'image/webp'],
  ] as const) {
    test(`a ${format} → 201 with its dimensions, re-encoded as ${type}, WebP thumbnails 200 and 600 wide`, async () => {
      const product = await createProduct(ctx, staff)
      const bytes = await imageBytes(format, 1000, 500)
      const image = await uploaded(product.id, { bytes, filename: 'x', contentType: type }, 'Red')
      assert.match(image.id, /^img_/)
      assert.deepEqual(
        [image.width, image.height, image.alt, image.position],
        [1000, 500, 'Red', 0],
      )
      const original = await fetchMedia(ctx, image.url)
      assert.equal(original.statusCode, 200)
      assert.equal(original.headers['content-type'], type)
      assert.equal((await sharp(original.rawPayload).metadata()).format, format)
      for (const [url, width] of [
        [image.thumbnails.small, 200],
        [image.thumbnails.medium, 600],
      ] as const) {
        const res = await fetchMedia(ctx, url)
        assert.equal(res.headers['content-type'], 'image/webp')
        const meta = await sharp(res.rawPayload).metadata()
        assert.deepEqual([meta.format, meta.width, meta.height], ['webp', width, width / 2])
      }
    })
  }

  test('a small image is not enlarged in its thumbnails', async () => {
    const product = await createProduct(ctx, staff)
    const image = await uploaded(product.id, await jpeg(150, 100))
    const medium = await fetchMedia(ctx, image.thumbnails.medium)
    assert.equal((await sharp(medium.rawPayload).metadata()).width, 150)
  })

  test('EXIF orientation is applied and EXIF/GPS metadata is stripped', async () => {
    const product = await createProduct(ctx, staff)
    // Stored 400×200 (left red, right blue) with orientation 6: shown turned 90° clockwise.
    const bytes = await (
      await twoTone('jpeg', 400, 200)
    )
      .withExif({
        IFD0: { Copyright: 'Secret Studio' },
        IFD3: { GPSMapDatum: 'WGS-84', GPSLatitudeRef: 'N' },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer()
    const input = await sharp(bytes).metadata()
    assert.equal(input.orientation, 6)
    assert.ok(input.exif?.includes(Buffer.from('Secret Studio')))
    assert.ok(input.exif?.includes(Buffer.from('WGS-84')), 'the input carries a GPS tag')
    const image = await uploaded(product.id, {
      bytes,
      filename: 'a.jpg',
      contentType: 'image/jpeg',
    })
    assert.deepEqual([image.width, image.height], [200, 400])
    const stored = (await fetchMedia(ctx, image.url)).rawPayload
    const meta = await sharp(stored).metadata()
    assert.equal(meta.exif, undefined)
    assert.equal(meta.orientation, undefined)
    assert.equal(stored.includes(Buffer.from('Secret Studio')), false)
    assert.equal(stored.includes(Buffer.from('WGS-84')), false)
    const { data, info } = await sharp(stored).raw().toBuffer({ resolveWithObject: true })
    const pixel = (x: number, y: number) => {
      const at = (y * info.width + x) * info.channels
      return [data[at]!, data[at + 1]!, data[at + 2]!]
    }
    // Upright: the red half is on top, the blue half at the bottom.
    assert.ok(pixel(100, 20)[0]! > 200 && pixel(100, 20)[2]! < 60, `top ${pixel(100, 20)}`)
    assert.ok(pixel(100, 380)[2]! > 200 && pixel(100, 380)[0]! < 60, `bottom ${pixel(100, 380)}`)
  })

  test('a text file named .jpg → 415 unsupported_media_type, nothing stored', async () => {
    const product = await createProduct(ctx, staff)
    const before = await filesUnder(dir)
    const res = await upload(ctx, staff, product.id, {
      bytes: Buffer.from('just some text, not a picture\n'.repeat(20)),
      filename: 'photo.jpg',
      contentType: 'image/jpeg',
    })
    assert.equal(res.statusCode, 415)
    assert.equal(res.json().code, 'unsupported_media_type')
    assert.deepEqual(await filesUnder(dir), before)
  })

  test('a PNG header followed by garbage → 415 saying it does not decode, nothing stored', async () => {
    const product = await createProduct(ctx, staff)
    const before = await filesUnder(dir)
    const bytes = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(5000, 0x5a),
    ])
    const res = await upload(ctx, staff, product.id, {
      bytes,
      filename: 'x.png',
      contentType: 'image/png',
    })
    assert.equal(res.statusCode, 415)
    assert.equal(res.json().code, 'unsupported_media_type')
    assert.match(res.json().detail, /PNG .*could not be decoded/)
    assert.deepEqual(await filesUnder(dir), before)
    const admin = await ctx.as(staff).get(`/v1/admin/products/${product.id}`)
    assert.deepEqual(admin.json().images, [])
  })

  test('more than 10 MB → 413, nothing stored', async () => {
    const product = await createProduct(ctx, staff)
    const before = await filesUnder(dir)
    const real = await imageBytes('jpeg', 100, 100)
    const bytes = Buffer.concat([real, Buffer.alloc(10 * 1_048_576 + 1 - real.length, 0)])
    const res = await upload(ctx, staff, product.id, {
      bytes,
      filename: 'big.jpg',
      contentType: 'image/jpeg',
    })
    assert.equal(res.statusCode, 413)
    assert.equal(res.json().code, 'payload_too_large')
    assert.deepEqual(await filesUnder(dir), before)
  })

  test('over real HTTP, an 11 MB upload is answered 413 (the connection does not hang), nothing stored', async () => {
    const product = await createProduct(ctx, staff)
    const before = await filesUnder(dir)
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' })
    const form = new FormData()
    const bytes = Buffer.concat([await imageBytes('jpeg', 64, 64), Buffer.alloc(11 * 1_048_576)])
    form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'big.jpg')
    const res = await fetch(`${address}/v1/admin/products/${product.id}/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staff}` },
      body: form,
      signal: AbortSignal.timeout(20_000),
    })
    assert.equal(res.status, 413)
    assert.equal(((await res.json()) as { code: string }).code, 'payload_too_large')
    assert.deepEqual(await filesUnder(dir), before)
  })

  test('a decompression bomb (over 40 megapixels) → 413 image_too_large', async () => {
    const product = await createProduct(ctx, staff)
    const bytes = await sharp({
      create: { width: 8000, height: 6000, channels: 3, background: '#fff' },
    })
      .png({ compressionLevel: 9 })
      .toBuffer()
    assert.ok(bytes.length < 1_048_576)
    const res = await upload(ctx, staff, product.id, {
      bytes,
      filename: 'bomb.png',
      contentType: 'image/png',
    })
    assert.equal(res.statusCode, 413)
    assert.equal(res.json().code, 'image_too_large')
  })

  test('not multipart → 415; no file part → 400; unknown product → 404', async () => {
    const product = await createProduct(ctx, staff)
    const json = await ctx.as(staff).post(`/v1/admin/products/${product.id}/images`, { a: 1 })
    assert.equal(json.statusCode, 415)
    assert.equal(json.json().code, 'unsupported_media_type')
    const body = multipart(await jpeg(), {}, 'picture')
    const noFile = await ctx.app.inject({
      method: 'POST',
      url: `/v1/admin/products/${product.id}/images`,
      headers: { authorization: `Bearer ${staff}`, ...body.headers },
      payload: body.payload,
    })
    assert.equal(noFile.statusCode, 400)
    assert.equal(noFile.json().errors[0].path, '/body/file')
    const missing = await upload(ctx, staff, 'prod_nope', await jpeg())
    assert.equal(missing.statusCode, 404)
  })

  test('401 without a token, 403 for a customer', async () => {
    const product = await createProduct(ctx, staff)
    const file = await jpeg()
    const anonymous = await upload(ctx, '', product.id, file)
    assert.equal(anonymous.statusCode, 401)
    const customer = await ctx.tokenFor('customer')
    const forbidden = await upload(ctx, customer, product.id, file)
    assert.equal(forbidden.statusCode, 403)
    const patch = await ctx.as(customer).patch(`/v1/admin/products/${product.id}/images/img_x`, {
      alt: 'x',
    })
    assert.equal(patch.statusCode, 403)
    const del = await ctx.as(customer).delete(`/v1/admin/products/${product.id}/images/img_x`)
    assert.equal(del.statusCode, 403)
  })
})

describe('serving', () => {
  test('image/* bytes, immutable Cache-Control, ETag and 304 on If-None-Match', async () => {
    const product = await createProduct(ctx, staff)
    const image = await uploaded(product.id, await jpeg())
    const res = await fetchMedia(ctx, image.url)
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], 'image/jpeg')
    assert.match(String(res.headers['cache-control']), /max-age=31536000.*immutable/)
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin')
    const etag = String(res.headers.etag)
    assert.match(etag, /^"[0-9a-f]{32}"$/)
    assert.equal(Number(res.headers['content-length']), res.rawPayload.length)
    const again = await fetchMedia(ctx, image.url, { 'if-none-match': etag })
    assert.equal(again.statusCode, 304)
    assert.equal(again.rawPayload.length, 0)
    const other = await fetchMedia(ctx, image.thumbnails.small, { 'if-none-match': etag })
    assert.equal(other.statusCode, 200)
    const unknown = await ctx.app.inject({ method: 'GET', url: '/media/images/img_x/nope.jpg' })
    assert.equal(unknown.statusCode, 404)
    const escape = await ctx.app.inject({ method: 'GET', url: '/media/../../etc/passwd' })
    assert.equal(escape.statusCode, 404)
  })
})

describe('product reads, order and alt', () => {
  test('storefront, admin and GraphQL list images in order; PATCH moves and relabels', async () => {
    const product = await createProduct(ctx, staff)
    const a = await uploaded(product.id, await jpeg(300, 300), 'A')
    const b = await uploaded(product.id, await jpeg(310, 300), 'B')
    const c = await uploaded(product.id, await jpeg(320, 300), 'C')
    assert.deepEqual([a.position, b.position, c.position], [0, 1, 2])

    const moved = await ctx
      .as(staff)
      .patch(`/v1/admin/products/${product.id}/images/${c.id}`, { position: 0, alt: 'C first' })
    assert.equal(moved.statusCode, 200, moved.body)
    assert.deepEqual([moved.json().position, moved.json().alt], [0, 'C first'])
    const back = await ctx
      .as(staff)
      .patch(`/v1/admin/products/${product.id}/images/${a.id}`, { position: 99 })
    assert.equal(back.json().position, 2)
    const expected = [c.id, b.id, a.id]

    const store = await ctx.app.inject({ method: 'GET', url: `/v1/products/${product.id}` })
    const storeImages = store.json().images as UploadedImage[]
    assert.deepEqual(
      storeImages.map((i) => i.id),
      expected,
    )
    assert.deepEqual(storeImages[0], {
      id: c.id,
      url: c.url,
      alt: 'C first',
      width: 320,
      height: 300,
      thumbnails: c.thumbnails,
    })
    const listing = await ctx.app.inject({ method: 'GET', url: '/v1/products?limit=100' })
    const listed = (listing.json().data as { id: string; images: UploadedImage[] }[]).find(
      (p) => p.id === product.id,
    )
    assert.deepEqual(
      listed?.images.map((i) => i.id),
      expected,
    )
    const byPrice = await ctx.app.inject({
      method: 'GET',
      url: '/v1/products?limit=100&sort=price',
    })
    const priced = (byPrice.json().data as { id: string; images: UploadedImage[] }[]).find(
      (p) => p.id === product.id,
    )
    assert.deepEqual(
      priced?.images.map((i) => i.id),
      expected,
    )
    const admin = await ctx.as(staff).get(`/v1/admin/products/${product.id}`)
    assert.deepEqual(
      (admin.json().images as UploadedImage[]).map((i) => i.id),
      expected,
    )
    const gql = await ctx.app.inject({
      method: 'POST',
      url: '/graphql',
      payload: {
        query: `{ product(id: "${product.id}") { images { id url alt width height thumbnails { small medium } } } }`,
      },
    })
    const gqlImages = gql.json().data.product.images as UploadedImage[]
    assert.deepEqual(
      gqlImages.map((i) => i.id),
      expected,
    )
    assert.deepEqual(gqlImages[0], storeImages[0])
  })

  test('an image change bumps the product version: a stale If-Match → 412', async () => {
    const product = await createProduct(ctx, staff)
    const image = await uploaded(product.id, await jpeg())
    const after = await ctx.as(staff).get(`/v1/admin/products/${product.id}`)
    assert.equal(after.json().version, product.version + 1)
    assert.equal(after.headers.etag, `"v${product.version + 1}"`)
    const stale = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/admin/products/${product.id}/images/${image.id}`,
      headers: { authorization: `Bearer ${staff}`, 'if-match': `"v${product.version}"` },
      payload: { alt: 'late' },
    })
    assert.equal(stale.statusCode, 412)
    const fresh = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/admin/products/${product.id}/images/${image.id}`,
      headers: { authorization: `Bearer ${staff}`, 'if-match': `"v${product.version + 1}"` },
      payload: { alt: 'on time' },
    })
    assert.equal(fresh.statusCode, 200)
  })
})

describe('removal', () => {
  test('DELETE an image → 204, its files are gone and the others renumbered', async () => {
    const product = await createProduct(ctx, staff)
    const a = await uploaded(product.id, await jpeg())
    const b = await uploaded(product.id, await jpeg(640, 480))
    for (const key of keysOf(a)) assert.ok(await storage.exists(key), key)
    const res = await ctx.as(staff).delete(`/v1/admin/products/${product.id}/images/${a.id}`)
    assert.equal(res.statusCode, 204)
    for (const key of keysOf(a)) assert.equal(await storage.exists(key), false, key)
    for (const key of keysOf(b)) assert.ok(await storage.exists(key), key)
    assert.equal((await fetchMedia(ctx, a.url)).statusCode, 404)
    const admin = await ctx.as(staff).get(`/v1/admin/products/${product.id}`)
    assert.deepEqual(
      (admin.json().images as UploadedImage[]).map((i) => [i.id]),
      [[b.id]],
    )
    const again = await ctx.as(staff).delete(`/v1/admin/products/${product.id}/images/${a.id}`)
    assert.equal(again.statusCode, 404)
    assert.equal(again.json().code, 'image_not_found')
  })

  test('deleting a product removes its images’ files; the purge is idempotent', async () => {
    const product = await createProduct(ctx, staff)
    const images = [
      await uploaded(product.id, await jpeg()),
      await uploaded(product.id, await jpeg()),
    ]
    const res = await ctx.as(staff).delete(`/v1/admin/products/${product.id}`)
    assert.equal(res.statusCode, 204)
    for (const key of images.flatMap(keysOf)) assert.equal(await storage.exists(key), false, key)
    assert.equal(await ctx.runtime.modules.catalog.service.images.purge(product.id), 0)
    await ctx.runtime.relay.drain()
    assert.equal(await ctx.runtime.modules.catalog.service.images.purge(product.id), 0)
  })
})
