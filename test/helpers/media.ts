import { randomBytes } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import sharp, { type Sharp } from 'sharp'
import type { TestContext } from './context.js'

/** A multipart/form-data body: text fields first, then the file part named `file`. */
export function multipart(
  file: { bytes: Buffer; filename: string; contentType: string },
  fields: Record<string, string> = {},
  fieldName = 'file',
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----emporium${randomBytes(8).toString('hex')}`
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    )
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${fieldName}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
    ),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  )
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

/** A `width`×`height` picture: its left half red, its right half blue. */
export async function twoTone(
  format: 'jpeg' | 'png' | 'webp',
  width: number,
  height: number,
): Promise<Sharp> {
  const half = Math.floor(width / 2)
  const blue = await sharp({
    create: { width: width - half, height, channels: 3, background: { r: 0, g: 0, b: 255 } },
  })
    .png()
    .toBuffer()
  return sharp({ create: { width, height, channels: 3, background: { r: 255, g: 0, b: 0 } } })
    .composite([{ input: blue, left: half, top: 0 }])
    .toFormat(format)
}

export async function imageBytes(
  format: 'jpeg' | 'png' | 'webp',
  width: number,
  height: number,
): Promise<Buffer> {
  return (await twoTone(format, width, height)).toBuffer()
}

/** Every file under `dir` (relative paths); none when it does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
}

export interface UploadedImage {
  id: string
  url: string
  alt: string
  width: number
  height: number
  position: number
  thumbnails: { small: string; medium: string }
}

/** The storage key of an image URL (URLs are `<MEDIA_PUBLIC_URL>/<key>`). */
export function keyOf(ctx: TestContext, url: string): string {
  const base = `${ctx.config.media.publicUrl}/`
  if (!url.startsWith(base)) throw new Error(`${url} is not under ${base}`)
  return url.slice(base.length)
}

/** GET an image URL from the app itself (the /media route). */
export function fetchMedia(ctx: TestContext, url: string, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'GET', url: new URL(url).pathname, headers })
}

export async function upload(
  ctx: TestContext,
  token: string,
  productId: string,
  file: { bytes: Buffer; filename: string; contentType: string },
  fields: Record<string, string> = {},
) {
  const body = multipart(file, fields)
  return ctx.app.inject({
    method: 'POST',
    url: `/v1/admin/products/${productId}/images`,
    headers: { authorization: `Bearer ${token}`, ...body.headers },
    payload: body.payload,
  })
}
