import type { TestContext } from '../helpers/context.js'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

export interface CartAuth {
  bearer?: string
  cartToken?: string | null
}

/** One call to the cart API as a guest (cart token) and/or a signed-in customer (bearer). */
export function cartCall(
  ctx: TestContext,
  method: Method,
  url: string,
  auth: CartAuth = {},
  payload?: Record<string, unknown>,
) {
  return ctx.app.inject({
    method,
    url,
    headers: {
      ...(auth.bearer ? { authorization: `Bearer ${auth.bearer}` } : {}),
      ...(auth.cartToken ? { 'x-cart-token': auth.cartToken } : {}),
    },
    ...(payload ? { payload } : {}),
  })
}

export interface CartBody {
  id: string
  currency: string
  status: string
  token?: string | null
  shippingMethodId: string | null
  items: {
    id: string
    variantId: string
    quantity: number
    unitPrice: { amount: number; currency: string } | null
    lineTotal: { amount: number; currency: string }
    available: boolean
    unavailableReason: string | null
  }[]
  totals: Record<'subtotal' | 'discount' | 'shipping' | 'tax' | 'total', { amount: number }>
  taxInfo: {
    country: string | null
    rateBps: number
    pricesIncludeTax: boolean
    note: string | null
  }
}

/** The totals as plain minor-unit numbers, for one deepEqual. */
export function amounts(cart: CartBody) {
  const t = cart.totals
  return {
    subtotal: t.subtotal.amount,
    discount: t.discount.amount,
    shipping: t.shipping.amount,
    tax: t.tax.amount,
    total: t.total.amount,
  }
}

/** A new guest cart: its body and the auth that reaches it. */
export async function guestCart(ctx: TestContext, currency?: string) {
  const res = await cartCall(ctx, 'POST', '/v1/carts', {}, currency ? { currency } : {})
  if (res.statusCode !== 201) throw new Error(`create cart failed: ${res.body}`)
  const cart = res.json() as CartBody
  return { cart, auth: { cartToken: cart.token } }
}
