import type { LightMyRequestResponse } from 'fastify'
import type { TestContext } from '../helpers/context.js'
import { createProduct } from '../helpers/catalog.js'

export const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 Analytical Street',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
}

export interface Shopper {
  cartId: string
  /** The guest cart's token; undefined for a customer (who uses `bearer`). */
  cartToken?: string
  bearer?: string
}

export function headersOf(shopper: Shopper, extra: Record<string, string> = {}) {
  return {
    ...(shopper.bearer ? { authorization: `Bearer ${shopper.bearer}` } : {}),
    ...(shopper.cartToken ? { 'x-cart-token': shopper.cartToken } : {}),
    ...extra,
  }
}

/** A published product with one EUR variant of `onHand` units; returns the variant id. */
export async function stockedVariant(
  ctx: TestContext,
  staff: string,
  onHand: number,
  price = 2500,
) {
  const product = await createProduct(ctx, staff, { variants: [{ price, onHand }] })
  return product.variants[0]!.id
}

/** A cart (guest, or the customer's with `bearer`) holding these lines. */
export async function cartWith(
  ctx: TestContext,
  lines: { variantId: string; quantity: number }[],
  bearer?: string,
): Promise<Shopper> {
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/v1/carts',
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    payload: { currency: 'EUR' },
  })
  if (created.statusCode !== 201) throw new Error(`cart: ${created.body}`)
  const body = created.json() as { id: string; token: string | null }
  const shopper: Shopper = {
    cartId: body.id,
    ...(body.token ? { cartToken: body.token } : {}),
    ...(bearer ? { bearer } : {}),
  }
  for (const line of lines) {
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/carts/${body.id}/items`,
      headers: headersOf(shopper),
      payload: line,
    })
    if (res.statusCode >= 300) throw new Error(`add item: ${res.body}`)
  }
  return shopper
}

export function checkout(
  ctx: TestContext,
  shopper: Shopper,
  token = 'tok_visa',
  options: { idempotencyKey?: string; email?: string } = {},
): Promise<LightMyRequestResponse> {
  return ctx.app.inject({
    method: 'POST',
    url: `/v1/carts/${shopper.cartId}/checkout`,
    headers: headersOf(
      shopper,
      options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
    ),
    payload: {
      email: options.email ?? 'ada@example.test',
      shippingAddress: ADDRESS,
      payment: { method: 'card', token },
    },
  })
}

export interface OrderBody {
  id: string
  number: string
  status: string
  email: string
  items: { variantId: string; quantity: number; unitPrice: { amount: number } }[]
  totals: Record<'subtotal' | 'discount' | 'shipping' | 'tax' | 'total', { amount: number }>
  payment: { status: string; amount: { amount: number }; refunded: { amount: number } }
  history: { type: string; status: string }[]
  cancelReason: string | null
}

export async function stockOf(ctx: TestContext, variantId: string) {
  return ctx.runtime.modules.inventory.service.getLevel(variantId)
}
