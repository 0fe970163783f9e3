import { createHash } from 'node:crypto'
import sharp from 'sharp'
import { isAppError } from '../../../platform/errors.js'
import { MediaErrors } from './media.errors.js'

// Uploaded bytes → checked, decoded and re-encoded files: never stored as the client sent them.

export type ImageFormat = 'jpeg' | 'png' | 'webp'

/** The largest image accepted, in pixels (width × height): a guard against decompression bombs. */
export const MAX_INPUT_PIXELS = 40_000_000
/** Thumbnail widths in pixels; narrower originals are not enlarged. */
export const THUMBNAIL_WIDTHS = { small: 200, medium: 600 } as const

// Each upload is decoded once or twice and never again: libvips' operation cache only holds memory.
sharp.cache(false)

/** The format the file's first bytes announce (magic numbers), whatever its name or stated type. */
export function sniffFormat(bytes: Buffer): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'jpeg'
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png'
  if (
    bytes.length >= 12 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'webp'
  return undefined
}

export interface EncodedFile {
  bytes: Buffer
  contentType: string
  extension: string
  /** Hex SHA-256 of `bytes`: the file's storage key and ETag derive from it. */
  hash: string
}

export interface ProcessedImage {
  format: ImageFormat
  width: number
  height: number
  original: EncodedFile
  small: EncodedFile
  medium: EncodedFile
}

const EXTENSIONS: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' }

function encoded(bytes: Buffer, format: ImageFormat): EncodedFile {
  return {
    bytes,
    contentType: `image/${format}`,
    extension: EXTENSIONS[format],
    hash: createHash('sha256').update(bytes).digest('hex'),
  }
}

function decoder(bytes: Buffer) {
  return sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', pages: 1 })
}

/** libvips refused the bytes that announced `format`: too many pixels, or they do not decode. */
function asUploadError(error: unknown, format: ImageFormat): never {
  if (isAppError(error)) throw error
  const message = error instanceof Error ? error.message : ''
  if (/pixel limit/i.test(message)) throw MediaErrors.tooManyPixels(MAX_INPUT_PIXELS)
  throw MediaErrors.undecodable(format)
}

/**
 * Decodes the upload (its type checked by content first), turns it upright (EXIF orientation)
 * and re-encodes it in its own format without metadata (EXIF, GPS, XMP, ICC comments), plus two
 * WebP thumbnails. Throws 415 for a file that is not a JPEG, PNG or WebP or does not decode.
 */
export async function processImage(bytes: Buffer): Promise<ProcessedImage> {
  const format = sniffFormat(bytes)
  if (!format) throw MediaErrors.unsupportedType()
  try {
    const meta = await decoder(bytes).metadata()
    if (meta.format !== format) throw MediaErrors.undecodable(format)
    const original = await decoder(bytes)
      .rotate()
      .toFormat(format, format === 'png' ? {} : { quality: 85 })
      .toBuffer({ resolveWithObject: true })
    const thumbnail = (width: number) =>
      sharp(original.data)
        .resize({ width, withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer()
    const [small, medium] = await Promise.all([
      thumbnail(THUMBNAIL_WIDTHS.small),
      thumbnail(THUMBNAIL_WIDTHS.medium),
    ])
    return {
      format,
      width: original.info.width,
      height: original.info.height,
      original: encoded(original.data, format),
      small: encoded(small, 'webp'),
      medium: encoded(medium, 'webp'),
    }
  } catch (error) {
    return asUploadError(error, format)
  }
}
