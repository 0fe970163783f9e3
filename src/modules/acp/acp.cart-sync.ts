import { isAppError } from '../../platform/errors.js'
import type { CartCaller, CartsService } from '../carts/index.js'
import type { StoredMessage } from './acp.tables.js'
import type { AcpAddress, AcpItem } from './acp.requests.js'

export type SessionCarts = Pick<
  CartsService,
  | 'createCart'
  | 'getCart'
  | 'addItem'
  | 'updateItem'
  | 'removeItem'
  | 'updateCart'
  | 'shippingMethods'
>

/** Cart errors about one requested item that become a message instead of a refusal. */
const ITEM_MESSAGES: Record<string, StoredMessage['code']> = {
  variant_unavailable: 'not_found',
  price_unavailable: 'invalid',
  quantity_too_large: 'invalid',
}

/**
 * ACP 2026-04-17 items carry no quantity: each entry is one unit, so an id sent twice is two.
 * Returns the wanted quantity per variant and the index of its first entry (for messages).
 */
function wanted(items: AcpItem[]): Map<string, { quantity: number; index: number }> {
  const out = new Map<string, { quantity: number; index: number }>()
  items.forEach((item, index) => {
    const seen = out.get(item.id)
    out.set(item.id, { quantity: (seen?.quantity ?? 0) + 1, index: seen?.index ?? index })
  })
  return out
}

/**
 * Makes the cart hold exactly the requested items (the request replaces the lines). An item the
 * cart refuses (unknown, unpriced, too many) is left out with a message on `$.line_items[i]`.
 */
export async function syncItems(
  carts: SessionCarts,
  caller: CartCaller,
  cartId: string,
  items: AcpItem[],
): Promise<StoredMessage[]> {
  const want = wanted(items)
  const cart = await carts.getCart(caller, cartId)
  for (const line of cart.items) {
    const target = want.get(line.variantId)
    if (!target) await carts.removeItem(caller, cartId, line.id)
    else if (target.quantity !== line.quantity)
      await carts.updateItem(caller, cartId, line.id, target.quantity)
  }
  const messages: StoredMessage[] = []
  for (const [variantId, { quantity, index }] of want) {
    if (cart.items.some((l) => l.variantId === variantId)) continue
    try {
      await carts.addItem(caller, cartId, { variantId, quantity })
    } catch (error) {
      const code = isAppError(error) ? ITEM_MESSAGES[error.code] : undefined
      if (!code || !isAppError(error)) throw error
      const content = code === 'not_found' ? `Item ${variantId} is not for sale.` : error.message
      messages.push({ code, param: `$.line_items[${index}].id`, content })
    }
  }
  return messages
}

/**
 * Ships the cart to `address`; a country the store does not ship to leaves the cart without an
 * address and gives a `region_restricted` message instead.
 */
export async function syncAddress(
  carts: SessionCarts,
  caller: CartCaller,
  cartId: string,
  address: AcpAddress | undefined,
): Promise<StoredMessage[]> {
  try {
    await carts.updateCart(caller, cartId, {
      shippingAddress: address
        ? {
            name: address.name,
            line1: address.line_one,
            ...(address.line_two ? { line2: address.line_two } : {}),
            city: address.city,
            postalCode: address.postal_code,
            country: address.country,
          }
        : null,
    })
    return []
  } catch (error) {
    if (!isAppError(error) || error.code !== 'country_unsupported') throw error
    await carts.updateCart(caller, cartId, { shippingAddress: null })
    const param = '$.fulfillment_details.address.country'
    return [{ code: 'region_restricted', param, content: error.message }]
  }
}

/** Picks the shipping method: the one asked for, else the cheapest that serves the address. */
export async function syncShipping(
  carts: SessionCarts,
  caller: CartCaller,
  cartId: string,
  optionId: string | undefined,
): Promise<StoredMessage[]> {
  const { data: methods } = await carts.shippingMethods(caller, cartId)
  if (optionId !== undefined) {
    if (methods.some((m) => m.id === optionId)) {
      await carts.updateCart(caller, cartId, { shippingMethodId: optionId })
      return []
    }
    const param = '$.selected_fulfillment_options[0].option_id'
    return [{ code: 'invalid', param, content: `Fulfillment option ${optionId} is not offered.` }]
  }
  const cart = await carts.getCart(caller, cartId)
  const cheapest = [...methods].sort((a, b) => a.price.amount - b.price.amount)[0]
  if (
    cheapest &&
    (cart.shippingMethodId === null || !methods.some((m) => m.id === cart.shippingMethodId))
  )
    await carts.updateCart(caller, cartId, { shippingMethodId: cheapest.id })
  return []
}
