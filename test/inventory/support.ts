import { sql } from 'kysely'
import type { Tx } from '../../src/platform/db/unit-of-work.js'
import type { ReserveItem } from '../../src/modules/inventory/index.js'
import type { Database } from '../../src/platform/db/database.js'
import { createUnitOfWork } from '../../src/platform/db/unit-of-work.js'
import type { TestContext } from '../helpers/context.js'
import { createProduct } from '../helpers/catalog.js'

/** The inventory service inside a unit of work of the test's own (the caller checkout will be). */
export function inventoryCaller(ctx: TestContext, database: Database = ctx.database) {
  const service = ctx.runtime.modules.inventory.service
  const uow = createUnitOfWork(database.db, () => {})
  const run = <T>(fn: (tx: Tx) => Promise<T>) => uow.run((trx, emit) => fn({ trx, emit }))
  return {
    service,
    run,
    reserve: (reference: string, items: ReserveItem[], ttlSeconds = 600) =>
      run((tx) => service.reserve(tx, reference, items, ttlSeconds)),
    commit: (reference: string) => run((tx) => service.commit(tx, reference)),
    release: (reference: string) => run((tx) => service.release(tx, reference)),
    restock: (reference: string) => run((tx) => service.restock(tx, reference)),
  }
}

/** New variants with the given on-hand stock, made through the admin API. */
export async function createVariants(ctx: TestContext, token: string, ...onHand: number[]) {
  const product = await createProduct(ctx, token, {
    variants: onHand.map((n, i) => ({ onHand: n, options: { size: `s${i}` } })),
  })
  return { productId: product.id, variantIds: product.variants.map((v) => v.id) }
}

/** The stored stock row, read straight from the table. */
export async function stockRow(ctx: TestContext, variantId: string) {
  const { rows } = await sql<{ on_hand: number; reserved: number; version: number }>`
    select on_hand, reserved, version from inventory.stock_level where variant_id = ${variantId}
  `.execute(ctx.database.db)
  const row = rows[0]!
  return { onHand: row.on_hand, reserved: row.reserved, version: row.version }
}

export async function outboxEvents(ctx: TestContext, variantId: string) {
  const { rows } = await sql<{ type: string; payload: Record<string, unknown> }>`
    select type, payload from platform.outbox where aggregate_id = ${variantId} order by position
  `.execute(ctx.database.db)
  return rows
}

export function errorCode(error: unknown): string | undefined {
  return (error as { code?: string }).code
}
