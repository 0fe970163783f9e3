import type { ImageRow } from './media.repo.js'
import type { ProductImageDto } from './media.schema.js'

/** A stored file's public URL from its storage key. */
export type MediaUrl = (key: string) => string

export function mediaUrlFrom(publicUrl: string): MediaUrl {
  return (key) => `${publicUrl}/${key}`
}

/** The image fields product reads carry; storefront rows bring the same keys as JSON. */
export interface ImageKeys {
  id: string
  alt: string
  width: number
  height: number
  original_key: string
  small_key: string
  medium_key: string
}

export function imageDto(row: ImageKeys | ImageRow, url: MediaUrl): ProductImageDto {
  return {
    id: row.id,
    url: url(row.original_key),
    alt: row.alt,
    width: row.width,
    height: row.height,
    thumbnails: { small: url(row.small_key), medium: url(row.medium_key) },
  }
}
