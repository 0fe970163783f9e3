import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Database } from '../../../platform/db/database.js'
import { type Emit, narrow, type UnitOfWork } from '../../../platform/db/unit-of-work.js'
import { CommonErrors } from '../../../platform/errors.js'
import type { Storage } from '../../../platform/storage/storage.js'
import { newId } from '../../../shared/ids.js'
import { CatalogErrors } from '../catalog.errors.js'
import { CatalogEvents, type ProductEventPayload } from '../catalog.events.js'
import type { Db } from '../catalog.repo.js'
import type { CatalogTables } from '../catalog.tables.js'
import { MediaErrors } from './media.errors.js'
import { processImage, type EncodedFile } from './media.process.js'
import * as repo from './media.repo.js'
import type { AdminProductImageDto, ImagePatch } from './media.schema.js'
import { imageDto, type MediaUrl } from './media.urls.js'

export interface MediaDeps {
  database: Database
  uow: UnitOfWork
  storage: Storage
  logger: Logger
  mediaUrl: MediaUrl
}

export type MediaService = ReturnType<typeof createMediaService>

/** The key of one stored file: content-addressed under its image, so it never changes. */
function keyOf(imageId: string, file: EncodedFile): string {
  return `images/${imageId}/${file.hash.slice(0, 32)}.${file.extension}`
}

export function createMediaService(deps: MediaDeps) {
  const db = deps.database.db as Kysely<CatalogTables>

  /**
   * Locks the live product, checks If-Match, runs `change`, then bumps the product's version and
   * emits product.updated (which empties the catalog cache and runs the file purge).
   */
  async function changeProduct<T>(
    productId: string,
    expectedVersion: number | undefined,
    change: (trx: Db) => Promise<T>,
  ): Promise<T> {
    return deps.uow.run(async (trx, emit: Emit) => {
      const t = narrow<CatalogTables>(trx)
      const product = await t
        .selectFrom('catalog.product')
        .select('version')
        .where('id', '=', productId)
        .where('deleted_at', 'is', null)
        .forUpdate()
        .executeTakeFirst()
      if (!product) throw CatalogErrors.productNotFound(productId)
      if (expectedVersion !== undefined && product.version !== expectedVersion)
        throw CommonErrors.staleVersion()
      const result = await change(t)
      const touched = (await repo.touchProduct(t, productId))!
      const payload: ProductEventPayload = {
        productId,
        slug: touched.slug,
        status: touched.status,
        version: touched.version,
      }
      emit({
        type: CatalogEvents.productUpdated,
        aggregateType: 'product',
        aggregateId: productId,
        payload: { ...payload },
      })
      return result
    })
  }

  async function adminImage(productId: string, imageId: string): Promise<AdminProductImageDto> {
    const row = await repo.findImage(db, productId, imageId)
    if (!row) throw MediaErrors.imageNotFound(imageId)
    return { ...imageDto(row, deps.mediaUrl), position: row.position }
  }

  return {
    /**
     * Checks and re-encodes the upload, stores its three files, then records the image last in
     * the product's order. Nothing is stored for a refused file; the files of a write that fails
     * afterwards (unknown product, stale If-Match) are removed again.
     */
    async upload(
      productId: string,
      bytes: Buffer,
      alt: string,
      expectedVersion?: number,
    ): Promise<AdminProductImageDto> {
      const exists = await db
        .selectFrom('catalog.product')
        .select('id')
        .where('id', '=', productId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()
      if (!exists) throw CatalogErrors.productNotFound(productId)
      const image = await processImage(bytes)
      const id = newId('img')
      const keys = {
        original_key: keyOf(id, image.original),
        small_key: keyOf(id, image.small),
        medium_key: keyOf(id, image.medium),
      }
      try {
        await deps.storage.put(keys.original_key, image.original.bytes, image.original.contentType)
        await deps.storage.put(keys.small_key, image.small.bytes, image.small.contentType)
        await deps.storage.put(keys.medium_key, image.medium.bytes, image.medium.contentType)
        const row = await changeProduct(productId, expectedVersion, (t) =>
          repo.insertImage(t, {
            id,
            product_id: productId,
            alt,
            width: image.width,
            height: image.height,
            content_hash: image.original.hash,
            ...keys,
          }),
        )
        return { ...imageDto(row, deps.mediaUrl), position: row.position }
      } catch (error) {
        await deps.storage.delete(Object.values(keys)).catch((cleanup: unknown) => {
          deps.logger.warn({ err: cleanup, imageId: id }, 'could not remove an upload’s files')
        })
        throw error
      }
    },

    async update(
      productId: string,
      imageId: string,
      patch: ImagePatch,
      expectedVersion?: number,
    ): Promise<AdminProductImageDto> {
      await changeProduct(productId, expectedVersion, async (t) => {
        const row = await repo.findImage(t, productId, imageId)
        if (!row) throw MediaErrors.imageNotFound(imageId)
        if (patch.alt !== undefined) await repo.setAlt(t, imageId, patch.alt)
        if (patch.position !== undefined)
          await repo.renumber(t, productId, { id: imageId, position: patch.position })
      })
      return adminImage(productId, imageId)
    },

    /** Removes the image from the product now; its files go with the purge the event runs. */
    async remove(productId: string, imageId: string, expectedVersion?: number): Promise<void> {
      await changeProduct(productId, expectedVersion, async (t) => {
        const row = await repo.findImage(t, productId, imageId)
        if (!row) throw MediaErrors.imageNotFound(imageId)
        await repo.markDeleted(t, imageId)
        await repo.renumber(t, productId)
      })
    },

    /**
     * Removes the files of the product's removed images, or of all its images once the product
     * is deleted, then their rows. Idempotent: a second run finds nothing; a missing file is fine.
     */
    async purge(productId: string): Promise<number> {
      const rows = await repo.findPurgeable(db, productId)
      if (rows.length === 0) return 0
      await deps.storage.delete(rows.flatMap((r) => [r.original_key, r.small_key, r.medium_key]))
      await repo.deleteRows(
        db,
        rows.map((r) => r.id),
      )
      return rows.length
    },
  }
}
