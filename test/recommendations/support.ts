import assert from 'node:assert/strict'
import { sql } from 'kysely'
import type { DomainEvent } from '../../src/platform/events/types.js'
import type { TestContext } from '../helpers/context.js'
import { createProduct, type ProductSpec, type StoreProduct } from '../helpers/catalog.js'
import { cartWith, checkout, type OrderBody } from '../checkout/support.js'

/** A published product with one variant of `onHand` units (titles must differ to stay unrelated). */
export async function product(
  ctx: TestContext,
  staff: string,
  title: string,
  spec: Omit<ProductSpec, 'title' | 'variants'> & { onHand?: number; price?: number } = {},
) {
  const created = await createProduct(ctx, staff, {
    title,
    description: spec.description ?? `${title}.`,
    ...spec,
    variants: [{ onHand: spec.onHand ?? 50, price: spec.price ?? 1000 }],
  })
  return { id: created.id, slug: created.slug, variantId: created.variants[0]!.id }
}

/** A paid order (guest checkout with the test card) of one unit of each product. */
export async function buy(ctx: TestContext, ...products: { variantId: string }[]) {
  const shopper = await cartWith(
    ctx,
    products.map((p) => ({ variantId: p.variantId, quantity: 1 })),
  )
  const res = await checkout(ctx, shopper)
  assert.equal(res.statusCode, 201, res.body)
  const { order } = res.json() as { order: OrderBody }
  assert.equal(order.status, 'paid')
  return order
}

/** Publishes what is committed: the pair counts (and the catalog's stock flags) catch up. */
export async function settle(ctx: TestContext) {
  await ctx.runtime.relay.drain()
}

export async function recommendations(
  ctx: TestContext,
  idOrSlug: string,
  query = '',
): Promise<string[]> {
  const res = await ctx.app.inject({
    method: 'GET',
    url: `/v1/products/${idOrSlug}/recommendations${query}`,
  })
  assert.equal(res.statusCode, 200, res.body)
  return (res.json() as { data: StoreProduct[] }).data.map((p) => p.id)
}

/** The order's `order.paid` event as the bus delivers it. */
export async function paidEvent(ctx: TestContext, orderId: string): Promise<DomainEvent> {
  const { rows } = await sql<{
    id: string
    type: string
    aggregate_type: string
    aggregate_id: string
    payload: Record<string, unknown>
    occurred_at: Date
  }>`select id, type, aggregate_type, aggregate_id, payload, occurred_at from platform.outbox
    where aggregate_id = ${orderId} and type = 'order.paid'`.execute(ctx.database.db)
  const row = rows[0]
  assert.ok(row, 'the order has an order.paid event')
  return {
    id: row.id,
    type: row.type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    payload: row.payload,
    occurredAt: new Date(row.occurred_at).toISOString(),
  }
}

/** How many pair rows start at each of these products. */
export async function pairRows(ctx: TestContext, ids: readonly string[]) {
  const { rows } = await sql<{ product_id: string; n: number }>`select product_id, count(*) as n
    from recommendations.product_pair where product_id = any(${[...ids]}::text[])
    group by product_id`.execute(ctx.database.db)
  return new Map(rows.map((r) => [r.product_id, Number(r.n)]))
}

/** The pair count of (a, b) and the order count of a, as the module stored them. */
export async function counts(ctx: TestContext, a: string, b: string) {
  const { rows } = await sql<{ pair: number | null; orders: number | null }>`select
      (select orders from recommendations.product_pair where product_id = ${a} and other_id = ${b}) as pair,
      (select orders from recommendations.product_orders where product_id = ${a}) as orders
    `.execute(ctx.database.db)
  return { pair: Number(rows[0]?.pair ?? 0), orders: Number(rows[0]?.orders ?? 0) }
}
