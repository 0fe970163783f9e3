import { sql } from 'kysely'
import type { Db } from './catalog.repo.js'

export interface CategoryRow {
  id: string
  slug: string
  name: string
  description: string
  parent_id: string | null
  position: number
  version: number
  created_at: Date
  updated_at: Date
}

export const CATEGORY_COLUMNS = [
  'id',
  'slug',
  'name',
  'description',
  'parent_id',
  'position',
  'version',
  'created_at',
  'updated_at',
] as const

export async function findAllCategories(db: Db): Promise<CategoryRow[]> {
  return db
    .selectFrom('catalog.category')
    .select(CATEGORY_COLUMNS)
    .orderBy('position')
    .orderBy('name')
    .execute()
}

export async function findCategory(db: Db, idOrSlug: string): Promise<CategoryRow | undefined> {
  return db
    .selectFrom('catalog.category')
    .select(CATEGORY_COLUMNS)
    .where((eb) => eb.or([eb('id', '=', idOrSlug), eb('slug', '=', idOrSlug)]))
    .executeTakeFirst()
}

export async function existingCategoryIds(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return []
  return (
    await db.selectFrom('catalog.category').select('id').where('id', 'in', ids).execute()
  ).map((r) => r.id)
}

/** The category and every category below it. */
export async function categoryWithDescendants(db: Db, id: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive tree as (
      select id from catalog.category where id = ${id}
      union all
      select c.id from catalog.category c join tree t on c.parent_id = t.id)
    select id from tree`.execute(db)
  return result.rows.map((r) => r.id)
}

export async function insertCategory(
  trx: Db,
  row: Pick<CategoryRow, 'id' | 'slug' | 'name' | 'description' | 'parent_id' | 'position'>,
): Promise<CategoryRow> {
  return trx
    .insertInto('catalog.category')
    .values(row)
    .returning(CATEGORY_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function updateCategory(
  trx: Db,
  id: string,
  changes: Partial<Pick<CategoryRow, 'slug' | 'name' | 'description' | 'parent_id' | 'position'>>,
): Promise<CategoryRow> {
  return trx
    .updateTable('catalog.category')
    .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .returning(CATEGORY_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function deleteCategory(trx: Db, id: string): Promise<void> {
  await trx.deleteFrom('catalog.category').where('id', '=', id).execute()
}

export async function categoryHasChildren(db: Db, id: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('catalog.category')
      .select('id')
      .where('parent_id', '=', id)
      .executeTakeFirst()) !== undefined
  )
}
