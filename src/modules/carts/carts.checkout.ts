import type { Transaction } from 'kysely'
import { CartErrors } from './carts.errors.js'
import * as repo from './carts.repo.js'
import type { CartsTables } from './carts.tables.js'

/** What checkout does to a cart, inside checkout's own transaction. */
export interface CartCheckout {
  /**
   * Locks the cart and closes it (`ordered`) if it is still open and unchanged since the caller
   * priced it (`updatedAt` of the cart it read): what is charged is what was shown.
   */
  close(trx: Transaction<unknown>, cartId: string, updatedAt: string): Promise<void>
  /** Opens an `ordered` cart again (its payment was declined); a no-op otherwise. */
  reopen(trx: Transaction<unknown>, cartId: string): Promise<void>
}

const cartsTrx = (t: Transaction<unknown>) => t as unknown as Transaction<CartsTables>

export const cartCheckout: CartCheckout = {
  async close(t, cartId, updatedAt) {
    const trx = cartsTrx(t)
    const [cart] = await repo.lockCarts(trx, [cartId])
    if (!cart) throw CartErrors.notFound(cartId)
    if (cart.status !== 'open') throw CartErrors.notOpen(cartId)
    if (cart.updated_at.toISOString() !== updatedAt) throw CartErrors.changed(cartId)
    await repo.updateCart(trx, cartId, { status: 'ordered' })
  },
  async reopen(t, cartId) {
    const trx = cartsTrx(t)
    const [cart] = await repo.lockCarts(trx, [cartId])
    if (cart?.status === 'ordered') await repo.updateCart(trx, cartId, { status: 'open' })
  },
}
