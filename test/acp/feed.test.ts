import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { createProduct } from '../helpers/catalog.js'
import { imageBytes, upload, type UploadedImage } from '../helpers/media.js'
import { agent, apiKey, assertConforms } from './support.js'

let ctx: TestContext
let key: string
let mediaDir: string

type Feed = {
  products: {
    id: string
    media?: { type: string; url: string; alt_text?: string; width: number; height: number }[]
    variants: { id: string; price: { amount: number }; availability: { available: boolean } }[]
  }[]
}

before(async () => {
  mediaDir = await mkdtemp(path.join(tmpdir(), 'emporium-acp-media-'))
  ctx = await createTestContext({ MEDIA_DIR: mediaDir })
  key = await apiKey(ctx, ['agentic_checkout'])
})
after(async () => {
  await ctx.close()
  await rm(mediaDir, { recursive: true, force: true })
})

test('the feed lists published products with stock, validates against the feed schema, and pages by Link', async () => {
  const staff = await ctx.tokenFor('staff')
  const a = await createProduct(ctx, staff, {
    variants: [
      { price: 1200, onHand: 3, options: { size: 'M' } },
      { price: 1300, onHand: 0, options: { size: 'L' } },
    ],
  })
  const b = await createProduct(ctx, staff, { variants: [{ price: 900, onHand: 1 }] })
  const soldOut = await createProduct(ctx, staff, { variants: [{ onHand: 0 }] })
  const draft = await createProduct(ctx, staff, { status: 'draft' })
  const photo = {
    bytes: await imageBytes('jpeg', 640, 480),
    filename: 'a.jpg',
    contentType: 'image/jpeg',
  }
  const uploaded = await upload(ctx, staff, a.id, photo, { alt: 'Front view' })
  assert.equal(uploaded.statusCode, 201, uploaded.body)
  const image = uploaded.json() as UploadedImage

  const res = await agent(ctx, key).get('/acp/feed')
  assert.equal(res.statusCode, 200, res.body)
  assertConforms('ProductsResponse', res.json(), true)
  const feed = res.json() as Feed
  const ids = feed.products.map((p) => p.id)
  assert.deepEqual(ids.sort(), [a.id, b.id].sort())
  assert.ok(!ids.includes(soldOut.id) && !ids.includes(draft.id))
  const listed = feed.products.find((p) => p.id === a.id)!
  assert.deepEqual(
    listed.media,
    [{ type: 'image', url: image.url, alt_text: 'Front view', width: 640, height: 480 }],
    "the product's images, with absolute URLs",
  )
  assert.ok(new URL(image.url).pathname.startsWith('/media/'))
  assert.equal(feed.products.find((p) => p.id === b.id)!.media, undefined, 'no images, no media')
  assert.deepEqual(
    listed.variants.map((v) => [v.price.amount, v.availability.available]),
    [
      [1200, true],
      [1300, false],
    ],
  )

  const first = await agent(ctx, key).get('/acp/feed?limit=1')
  assertConforms('ProductsResponse', first.json(), true)
  const link = String(first.headers.link)
  const next = /^<([^>]+)>; rel="next"$/.exec(link)?.[1]
  assert.ok(next, link)
  const second = await agent(ctx, key).get(new URL(next).pathname + new URL(next).search)
  const both = [...(first.json() as Feed).products, ...(second.json() as Feed).products]
  assert.deepEqual(both.map((p) => p.id).sort(), [a.id, b.id].sort())
  assert.equal(second.headers.link, undefined)
})

test('the feed carries an ETag: If-None-Match answers 304; it needs the agentic_checkout key', async () => {
  const res = await agent(ctx, key).get('/acp/feed')
  const tag = res.headers.etag
  assert.ok(typeof tag === 'string' && tag.length > 2)
  assert.match(String(res.headers['cache-control']), /max-age=60/)
  const again = await agent(ctx, key).get('/acp/feed', { headers: { 'if-none-match': tag } })
  assert.equal(again.statusCode, 304)
  const anonymous = await agent(ctx, null).get('/acp/feed')
  assert.equal(anonymous.statusCode, 401)
  assertConforms('Error', anonymous.json())
})
