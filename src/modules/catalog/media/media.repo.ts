import { sql } from 'kysely'
import type { Db } from '../catalog.repo.js'

export interface ImageRow {
  id: string
  product_id: string
  position: number
  alt: string
  width: number
  height: number
  content_hash: string
  original_key: string
  small_key: string
  medium_key: string
}

const COLUMNS = [
  'id',
  'product_id',
  'position',
  'alt',
  'width',
  'height',
  'content_hash',
  'original_key',
  'small_key',
  'medium_key',
] as const

/** The live images of these products, each product's in position order. */
export async function findImages(db: Db, productIds: readonly string[]): Promise<ImageRow[]> {
  if (productIds.length === 0) return []
  return db
    .selectFrom('catalog.product_image')
    .select(COLUMNS)
    .where('product_id', 'in', productIds)
    .where('deleted_at', 'is', null)
    .orderBy('product_id')
    .orderBy('position')
    .orderBy('id')
    .execute()
}

export async function findImage(
  db: Db,
  productId: string,
  imageId: string,
): Promise<ImageRow | undefined> {
  return db
    .selectFrom('catalog.product_image')
    .select(COLUMNS)
    .where('id', '=', imageId)
    .where('product_id', '=', productId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
}

export async function insertImage(db: Db, row: Omit<ImageRow, 'position'>): Promise<ImageRow> {
  const next = await db
    .selectFrom('catalog.product_image')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('product_id', '=', row.product_id)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow()
  return db
    .insertInto('catalog.product_image')
    .values({ ...row, position: next.n })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function setAlt(db: Db, imageId: string, alt: string): Promise<void> {
  await db.updateTable('catalog.product_image').set({ alt }).where('id', '=', imageId).execute()
}

/**
 * Numbers the product's live images 0, 1, 2… in their current order, with `moved` placed at
 * `position` (clamped to the end) when given: one statement.
 */
export async function renumber(
  db: Db,
  productId: string,
  moved?: { id: string; position: number },
): Promise<void> {
  const rank = moved
    ? sql`case when i.id = ${moved.id} then ${moved.position} * 2 + (case when ${moved.position} > i.position then 1 else -1 end) else i.position * 2 end`
    : sql`i.position`
  await sql`
    update catalog.product_image t set position = o.n
    from (select i.id, (row_number() over (order by ${rank}, i.id) - 1)::int as n
          from catalog.product_image i
          where i.product_id = ${productId} and i.deleted_at is null) o
    where t.id = o.id and t.position <> o.n`.execute(db)
}

/** Marks an image removed: its files go with the purge that follows (see media.purge.ts). */
export async function markDeleted(db: Db, imageId: string): Promise<void> {
  await db
    .updateTable('catalog.product_image')
    .set({ deleted_at: new Date() })
    .where('id', '=', imageId)
    .execute()
}

/** Images whose files are due for removal: removed ones, or all of a deleted product's. */
export async function findPurgeable(db: Db, productId: string): Promise<ImageRow[]> {
  return db
    .selectFrom('catalog.product_image as i')
    .innerJoin('catalog.product as p', 'p.id', 'i.product_id')
    .select(COLUMNS.map((c) => `i.${c}` as const))
    .where('i.product_id', '=', productId)
    .where((eb) => eb.or([eb('i.deleted_at', 'is not', null), eb('p.deleted_at', 'is not', null)]))
    .execute()
}

export async function deleteRows(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  await db.deleteFrom('catalog.product_image').where('id', 'in', ids).execute()
}

/** An image change is a product change: its version (ETag) and updated_at move. */
export async function touchProduct(db: Db, productId: string) {
  return db
    .updateTable('catalog.product')
    .set({ version: sql`version + 1`, updated_at: new Date() })
    .where('id', '=', productId)
    .where('deleted_at', 'is', null)
    .returning(['id', 'slug', 'status', 'version'])
    .executeTakeFirst()
}
