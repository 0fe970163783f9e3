import type { Transaction } from 'kysely'
import { narrow, type Emit, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import { CommonErrors, type FieldError } from '../../platform/errors.js'
import { newId } from '../../shared/ids.js'
import type { InventoryService } from '../inventory/index.js'
import { CatalogErrors } from './catalog.errors.js'
import { CatalogEvents } from './catalog.events.js'
import { slugify } from './catalog.mappers.js'
import * as repo from './catalog.repo.js'
import * as categoriesRepo from './categories.repo.js'
import type {
  AdminProductDto,
  ProductInput,
  ProductPatch,
  VariantInput,
  VariantPatch,
} from './catalog.schema.js'
import type { CatalogTables } from './catalog.tables.js'

type Trx = Transaction<CatalogTables>

function pricesOf(
  variantId: string,
  input: { price?: VariantInput['price']; prices?: VariantInput['prices'] },
  path: string,
): repo.PriceRow[] {
  const all = [...(input.price ? [input.price] : []), ...(input.prices ?? [])]
  const seen = new Set<string>()
  return all.map((p) => {
    if (seen.has(p.currency)) throw CatalogErrors.duplicateCurrency(`${path}/prices`)
    seen.add(p.currency)
    return { variant_id: variantId, currency: p.currency, amount: p.amount }
  })
}

/** Rows per multi-row insert: well under PostgreSQL's 65,535 bind parameters at 7 columns. */
const CHUNK = 500

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK))
  return out
}

/** Writes products and variants; every function runs inside the caller's transaction. */
/** What the writer needs: its own narrow deps, so it does not import the service that uses it. */
export interface ProductWriterDeps {
  uow: UnitOfWork
  inventory: Pick<InventoryService, 'track'>
}

export function createProductWriter(deps: ProductWriterDeps) {
  async function checkSkus(
    trx: Trx,
    skus: { sku: string; path: string }[],
    exceptVariantId?: string,
  ): Promise<void> {
    const errors: FieldError[] = []
    const seen = new Set<string>()
    for (const { sku, path } of skus) {
      if (seen.has(sku)) errors.push({ path, message: sku })
      seen.add(sku)
    }
    const taken = new Set(await repo.takenSkus(trx, [...seen], exceptVariantId))
    for (const { sku, path } of skus) if (taken.has(sku)) errors.push({ path, message: sku })
    if (errors.length > 0) throw CatalogErrors.skuTaken(errors)
  }

  async function checkCategories(trx: Trx, ids: string[], path: string): Promise<void> {
    const existing = new Set(await categoriesRepo.existingCategoryIds(trx, ids))
    const errors = ids.flatMap((id, i) =>
      existing.has(id) ? [] : [{ path: `${path}/${i}`, message: `unknown category ${id}` }],
    )
    if (errors.length > 0) throw CatalogErrors.unknownCategories(errors)
  }

  /** An explicit slug must be free (409); a derived one gets a numeric suffix until it is. */
  async function chooseSlug(
    trx: Trx,
    input: ProductInput,
    batch: Set<string>,
    path: string,
  ): Promise<string> {
    if (input.slug) {
      if (batch.has(input.slug) || (await repo.slugTaken(trx, input.slug)))
        throw CatalogErrors.slugTaken(input.slug, path)
      return input.slug
    }
    const base = slugify(input.title)
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`
      if (!batch.has(candidate) && !(await repo.slugTaken(trx, candidate))) return candidate
    }
  }

  function variantRows(productId: string, variants: VariantInput[], offset = 0) {
    return variants.map((v, i) => ({
      id: newId('var'),
      product_id: productId,
      sku: v.sku,
      title: v.title ?? (Object.values(v.options ?? {}).join(' / ') || 'Default'),
      options: v.options ?? {},
      position: offset + i,
      in_stock: (v.onHand ?? 0) > 0,
    }))
  }

  /** Variants of any number of products: one statement per table (chunked). */
  async function insertVariantRows(
    trx: Trx,
    batch: { rows: ReturnType<typeof variantRows>; inputs: VariantInput[]; path: string }[],
  ): Promise<void> {
    const rows = batch.flatMap((b) => b.rows)
    const prices = batch.flatMap((b) =>
      b.rows.flatMap((r, i) => pricesOf(r.id, b.inputs[i]!, `${b.path}/${i}`)),
    )
    const levels = batch.flatMap((b) =>
      b.rows.map((r, i) => ({ variantId: r.id, onHand: b.inputs[i]!.onHand ?? 0 })),
    )
    for (const chunk of chunks(rows)) await repo.insertVariants(trx, chunk)
    for (const chunk of chunks(prices)) await repo.insertPrices(trx, chunk)
    for (const chunk of chunks(levels)) {
      await deps.inventory.track(trx as unknown as Transaction<unknown>, chunk)
    }
  }

  async function insertVariantsOf(
    trx: Trx,
    productId: string,
    variants: VariantInput[],
    path: string,
    offset = 0,
  ): Promise<void> {
    await insertVariantRows(trx, [
      { rows: variantRows(productId, variants, offset), inputs: variants, path },
    ])
  }

  return {
    async insertProducts(
      trx: Trx,
      inputs: ProductInput[],
      batchPath?: string,
    ): Promise<repo.ProductRow[]> {
      const at = (i: number) => (batchPath ? `${batchPath}/${i}` : '/body')
      await checkSkus(
        trx,
        inputs.flatMap((p, i) =>
          p.variants.map((v, j) => ({ sku: v.sku, path: `${at(i)}/variants/${j}/sku` })),
        ),
      )
      const slugs = new Set<string>()
      const created: repo.ProductRow[] = []
      for (const [i, input] of inputs.entries()) {
        await checkCategories(trx, input.categoryIds ?? [], `${at(i)}/categoryIds`)
        const slug = await chooseSlug(trx, input, slugs, `${at(i)}/slug`)
        slugs.add(slug)
        const row = await repo.insertProduct(trx, {
          id: newId('prod'),
          slug,
          title: input.title,
          description: input.description ?? '',
          status: input.status,
        })
        await repo.setProductCategories(trx, row.id, input.categoryIds ?? [])
        await insertVariantsOf(trx, row.id, input.variants, `${at(i)}/variants`)
        created.push(row)
      }
      return created
    },

    /**
     * Products for a store known to hold none of their slugs and SKUs (the demo seed into an empty
     * store): no per-product checks, a few multi-row statements instead of several per product.
     * A clash still fails on the unique indexes, and the caller's transaction with it.
     */
    async insertNewProducts(trx: Trx, inputs: ProductInput[]): Promise<repo.ProductRow[]> {
      const products = inputs.map((input) => ({
        id: newId('prod'),
        slug: input.slug ?? slugify(input.title),
        title: input.title,
        description: input.description ?? '',
        status: input.status,
      }))
      const created: repo.ProductRow[] = []
      for (const chunk of chunks(products)) created.push(...(await repo.insertProducts(trx, chunk)))
      const links = products.flatMap((p, i) =>
        (inputs[i]!.categoryIds ?? []).map((category_id) => ({ product_id: p.id, category_id })),
      )
      for (const chunk of chunks(links)) await repo.insertProductCategories(trx, chunk)
      await insertVariantRows(
        trx,
        products.map((p, i) => ({
          rows: variantRows(p.id, inputs[i]!.variants),
          inputs: inputs[i]!.variants,
          path: `/${i}/variants`,
        })),
      )
      return created
    },

    async updateProduct(
      trx: Trx,
      current: repo.ProductRow,
      patch: ProductPatch,
    ): Promise<repo.ProductRow> {
      if (
        patch.slug &&
        patch.slug !== current.slug &&
        (await repo.slugTaken(trx, patch.slug, current.id))
      ) {
        throw CatalogErrors.slugTaken(patch.slug)
      }
      if (patch.categoryIds) {
        await checkCategories(trx, patch.categoryIds, '/body/categoryIds')
        await repo.setProductCategories(trx, current.id, patch.categoryIds)
      }
      const { categoryIds: _ignored, ...fields } = patch
      return repo.updateProduct(trx, current.id, fields)
    },

    /** Variant sub-resources; each change bumps the product's version and emits product.updated. */
    variantOperations(
      reload: (id: string) => Promise<AdminProductDto>,
      emitProduct: (emit: Emit, type: string, row: repo.ProductRow) => void,
      mapConflicts: <T>(fn: () => Promise<T>) => Promise<T>,
    ) {
      const change = async (
        productId: string,
        expected: number | undefined,
        fn: (trx: Trx) => Promise<void>,
      ) => {
        await mapConflicts(() =>
          deps.uow.run(async (t, emit) => {
            const trx = narrow<CatalogTables>(t)
            const current = await repo.lockProduct(trx, productId)
            if (!current) throw CatalogErrors.productNotFound(productId)
            if (expected !== undefined && current.version !== expected)
              throw CommonErrors.staleVersion()
            await fn(trx)
            emitProduct(
              emit,
              CatalogEvents.productUpdated,
              await repo.updateProduct(trx, productId, {}),
            )
          }),
        )
        return reload(productId)
      }
      const variantOf = async (trx: Trx, productId: string, variantId: string) => {
        const variants = await repo.findVariants(trx, [productId])
        if (!variants.some((v) => v.id === variantId))
          throw CatalogErrors.variantNotFound(variantId)
        return variants
      }
      return {
        addVariant: (productId: string, input: VariantInput, expected?: number) =>
          change(productId, expected, async (trx) => {
            await checkSkus(trx, [{ sku: input.sku, path: '/body/sku' }])
            const existing = await repo.findVariants(trx, [productId])
            await insertVariantsOf(trx, productId, [input], '/body', existing.length)
          }),
        updateVariant: (
          productId: string,
          variantId: string,
          patch: VariantPatch,
          expected?: number,
        ) =>
          change(productId, expected, async (trx) => {
            await variantOf(trx, productId, variantId)
            if (patch.sku) await checkSkus(trx, [{ sku: patch.sku, path: '/body/sku' }], variantId)
            await repo.updateVariant(trx, variantId, {
              sku: patch.sku,
              title: patch.title,
              options: patch.options,
            })
            if (patch.prices)
              await repo.replacePrices(
                trx,
                variantId,
                pricesOf(variantId, { prices: patch.prices }, '/body'),
              )
          }),
        deleteVariant: (productId: string, variantId: string, expected?: number) =>
          change(productId, expected, async (trx) => {
            const variants = await variantOf(trx, productId, variantId)
            if (variants.length === 1) throw CatalogErrors.lastVariant()
            await repo.softDeleteVariant(trx, variantId)
          }),
      }
    },
  }
}
