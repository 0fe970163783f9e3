import { narrow, type Tx } from '../../platform/db/unit-of-work.js'
import { CartErrors } from './carts.errors.js'
import type { PricedCart } from './carts.pricing.js'
import * as repo from './carts.repo.js'
import type { UpdateCartInput } from './carts.schema.js'
import type { CartsTables } from './carts.tables.js'

export type CheckoutAddress = NonNullable<UpdateCartInput['shippingAddress']>

/** One line as it will be ordered, in integer minor units. */
export interface CheckoutLine {
  variantId: string
  productId: string | null
  sku: string | null
  title: string | null
  productTitle: string | null
  quantity: number
  unitPrice: number
  lineTotal: number
  /** Why the line cannot be bought now; checkout refuses the cart while one is not null. */
  unavailableReason: string | null
}

/**
 * The cart as checkout will order it, priced once with the checkout's email and address applied
 * (not yet stored: `close` stores them with the status). `version` is what `close` checks.
 */
export interface CheckoutSnapshot {
  cartId: string
  version: number
  currency: string
  email: string
  shippingAddress: CheckoutAddress
  shippingMethod: { id: string; name: string }
  lines: CheckoutLine[]
  totals: { subtotal: number; discount: number; shipping: number; tax: number; total: number }
  /** The coupon, only when it gives something now (an expired one is not part of the order). */
  couponCode: string | null
}

export function toSnapshot(
  { cart }: PricedCart,
  version: number,
  shippingMethod: { id: string; name: string },
  shippingAddress: CheckoutAddress,
): CheckoutSnapshot {
  return {
    cartId: cart.id,
    version,
    currency: cart.currency,
    email: cart.email!,
    shippingAddress,
    shippingMethod: { id: shippingMethod.id, name: shippingMethod.name },
    lines: cart.items.map((i) => ({
      variantId: i.variantId,
      productId: i.productId,
      sku: i.sku,
      title: i.title,
      productTitle: i.productTitle,
      quantity: i.quantity,
      unitPrice: i.unitPrice?.amount ?? 0,
      lineTotal: i.lineTotal.amount,
      unavailableReason: i.available ? null : (i.unavailableReason ?? 'unavailable'),
    })),
    totals: {
      subtotal: cart.totals.subtotal.amount,
      discount: cart.totals.discount.amount,
      shipping: cart.totals.shipping.amount,
      tax: cart.totals.tax.amount,
      total: cart.totals.total.amount,
    },
    couponCode: cart.coupon && cart.coupon.unavailableReason === null ? cart.coupon.code : null,
  }
}

/**
 * Closes the cart (`ordered`) with the snapshot's email, address and shipping method, in one
 * guarded update, if it is still open at the version the snapshot priced: what is charged is what
 * was shown.
 */
export async function closeCart(tx: Tx, snapshot: CheckoutSnapshot): Promise<void> {
  const trx = narrow<CartsTables>(tx)
  const closed = await repo.updateCart(
    trx,
    snapshot.cartId,
    {
      status: 'ordered',
      email: snapshot.email,
      shippingAddress: snapshot.shippingAddress,
      shippingMethodId: snapshot.shippingMethod.id,
    },
    { status: 'open', version: snapshot.version },
  )
  if (closed) return
  // Why it did not match: read only on this unhappy path.
  const cart = await repo.findCartById(trx, snapshot.cartId)
  if (!cart) throw CartErrors.notFound(snapshot.cartId)
  if (cart.status !== 'open') throw CartErrors.notOpen(snapshot.cartId)
  throw CartErrors.changed(snapshot.cartId)
}

/** Opens an `ordered` cart again (its payment was declined); a no-op otherwise. */
export async function reopenCart(tx: Tx, cartId: string): Promise<void> {
  await repo.updateCart(narrow<CartsTables>(tx), cartId, { status: 'open' }, { status: 'ordered' })
}
