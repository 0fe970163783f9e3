import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../platform/db/database.js'
import { uniqueViolation } from '../../platform/db/errors.js'
import { type Emit, narrow, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import { CommonErrors } from '../../platform/errors.js'
import { newId } from '../../shared/ids.js'
import { CatalogErrors } from './catalog.errors.js'
import { CatalogEvents } from './catalog.events.js'
import { slugify, toCategoryTree } from './catalog.mappers.js'
import * as repo from './categories.repo.js'
import type { CategoryDto, CategoryInput, CategoryPatch } from './catalog.schema.js'
import type { CatalogTables } from './catalog.tables.js'

export type CategoryService = ReturnType<typeof createCategoryService>

/** Categories shape storefront listings; the catalog cache listens for this. */
function emitChanged(emit: Emit, id: string): void {
  const payload = { categoryId: id }
  emit({ type: CatalogEvents.categoryChanged, aggregateType: 'category', aggregateId: id, payload })
}

export function createCategoryService(deps: { database: Database; uow: UnitOfWork }) {
  async function subtree(id: string): Promise<CategoryDto> {
    const [tree] = toCategoryTree(
      await repo.findAllCategories(deps.database.read as Kysely<CatalogTables>),
      id,
    )
    if (!tree) throw CatalogErrors.categoryNotFound(id)
    return tree
  }

  async function checkParent(
    trx: Transaction<CatalogTables>,
    parentId: string | null | undefined,
    selfId?: string,
  ) {
    if (!parentId) return
    if (!(await repo.findCategory(trx, parentId))) throw CatalogErrors.categoryNotFound(parentId)
    if (selfId && (await repo.categoryWithDescendants(trx, selfId)).includes(parentId))
      throw CatalogErrors.categoryCycle()
  }

  async function write<T>(slug: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      if (uniqueViolation(error)) throw CatalogErrors.categorySlugTaken(slug ?? '')
      throw error
    }
  }

  return {
    async tree(): Promise<CategoryDto[]> {
      return toCategoryTree(
        await repo.findAllCategories(deps.database.read as Kysely<CatalogTables>),
      )
    },

    async get(idOrSlug: string): Promise<CategoryDto> {
      const row = await repo.findCategory(deps.database.read as Kysely<CatalogTables>, idOrSlug)
      if (!row) throw CatalogErrors.categoryNotFound(idOrSlug)
      return subtree(row.id)
    },

    async create(input: CategoryInput): Promise<CategoryDto> {
      const slug = input.slug ?? slugify(input.name)
      const row = await write(slug, () =>
        deps.uow.run(async (trx, emit) => {
          await checkParent(narrow<CatalogTables>(trx), input.parentId)
          const id = newId('cat')
          emitChanged(emit, id)
          return repo.insertCategory(narrow<CatalogTables>(trx), {
            id,
            slug,
            name: input.name,
            description: input.description ?? '',
            parent_id: input.parentId ?? null,
            position: input.position ?? 0,
          })
        }),
      )
      return subtree(row.id)
    },

    async update(id: string, patch: CategoryPatch, expectedVersion?: number): Promise<CategoryDto> {
      await write(patch.slug, () =>
        deps.uow.run(async (trx, emit) => {
          const current = await repo.findCategory(narrow<CatalogTables>(trx), id)
          if (!current || current.id !== id) throw CatalogErrors.categoryNotFound(id)
          emitChanged(emit, id)
          if (expectedVersion !== undefined && current.version !== expectedVersion)
            throw CommonErrors.staleVersion()
          await checkParent(narrow<CatalogTables>(trx), patch.parentId, id)
          const { parentId, ...rest } = patch
          await repo.updateCategory(narrow<CatalogTables>(trx), id, {
            ...rest,
            ...(parentId !== undefined ? { parent_id: parentId } : {}),
          })
        }),
      )
      return subtree(id)
    },

    async remove(id: string): Promise<void> {
      await deps.uow.run(async (trx, emit) => {
        const current = await repo.findCategory(narrow<CatalogTables>(trx), id)
        if (!current || current.id !== id) throw CatalogErrors.categoryNotFound(id)
        emitChanged(emit, id)
        if (await repo.categoryHasChildren(narrow<CatalogTables>(trx), id))
          throw CatalogErrors.categoryHasChildren()
        await repo.deleteCategory(narrow<CatalogTables>(trx), id)
      })
    },

    /** Creates the demo category tree in one go; returns slug → id. */
    async createMany(
      trx: Transaction<unknown>,
      categories: { slug: string; name: string; description: string; parentSlug?: string }[],
    ) {
      const ids = new Map<string, string>()
      for (const [position, c] of categories.entries()) {
        const row = await repo.insertCategory(narrow<CatalogTables>(trx), {
          id: newId('cat'),
          slug: c.slug,
          name: c.name,
          description: c.description,
          parent_id: c.parentSlug ? (ids.get(c.parentSlug) ?? null) : null,
          position,
        })
        ids.set(c.slug, row.id)
      }
      return ids
    },
  }
}
