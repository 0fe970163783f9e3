import { randomToken, sha256, tokenMatches } from '../../platform/crypto.js'
import { narrow, type Tx, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import { newId } from '../../shared/ids.js'
import type { CatalogApi, VariantPricing } from '../catalog/index.js'
import { couponError, type PromotionsService } from '../promotions/index.js'
import {
  closeCart,
  reopenCart,
  toSnapshot,
  type CheckoutAddress,
  type CheckoutSnapshot,
} from './carts.checkout.js'
import { CartErrors } from './carts.errors.js'
import {
  assertTotalsFit,
  cartBasis,
  priceCart,
  shippingMethodsFor,
  unavailability,
  type CartBasis,
} from './carts.pricing.js'
import * as repo from './carts.repo.js'
import type { CartRow, CartsDb, CartWithItems } from './carts.repo.js'
import {
  MAX_QUANTITY,
  type AddItemInput,
  type Cart,
  type CreatedCart,
  type ShippingMethod,
  type UpdateCartInput,
} from './carts.schema.js'

export type { CheckoutAddress, CheckoutLine, CheckoutSnapshot } from './carts.checkout.js'
import { CART_CURRENCIES, SHIPPING_COUNTRIES } from './carts.settings.js'
import type { CartsTables } from './carts.tables.js'

/** How many lines one cart holds. */
export const MAX_LINES = 100

/**
 * Who is asking: a signed-in customer sees only their carts; a guest cart is reached only with
 * its `X-Cart-Token`. Anything else is `cart_not_found`, so cart ids reveal nothing.
 */
export interface CartCaller {
  customerId: string | null
  token: string | undefined
}

export interface CartsService {
  createCart(customerId: string | null, currency?: string): Promise<CreatedCart>
  getCart(caller: CartCaller, cartId: string): Promise<Cart>
  addItem(caller: CartCaller, cartId: string, input: AddItemInput): Promise<Cart>
  /** Quantity 0 removes the line. */
  updateItem(caller: CartCaller, cartId: string, itemId: string, quantity: number): Promise<Cart>
  removeItem(caller: CartCaller, cartId: string, itemId: string): Promise<Cart>
  updateCart(caller: CartCaller, cartId: string, input: UpdateCartInput): Promise<Cart>
  /**
   * For checkout, read without a transaction: the open cart priced with this email and address
   * and the chosen shipping method if it serves the address, else the cheapest that does (none:
   * 409 `shipping_method_unavailable`). Nothing is stored until `close`.
   */
  checkoutSnapshot(
    caller: CartCaller,
    cartId: string,
    input: { email: string; shippingAddress: CheckoutAddress },
  ): Promise<CheckoutSnapshot>
  /**
   * In the checkout's transaction: closes the cart (`ordered`) with the snapshot's email, address
   * and method if it is still at the snapshot's version, else 409 `cart_changed`.
   */
  close(tx: Tx, snapshot: CheckoutSnapshot): Promise<void>
  /** In the caller's transaction: opens an `ordered` cart again (payment declined). */
  reopen(tx: Tx, cartId: string): Promise<void>
  shippingMethods(
    caller: CartCaller,
    cartId: string,
  ): Promise<{
    country: string | null
    data: ShippingMethod[]
  }>
  /**
   * Applies a coupon code (case-insensitive), replacing any other: 404 `coupon_not_found`, 409
   * `coupon_exhausted` or `coupon_not_applicable` (with `reason`) when it gives nothing now. A
   * code that stops applying later stays on the cart with discount 0 and `unavailableReason`.
   */
  applyCoupon(caller: CartCaller, cartId: string, code: string): Promise<Cart>
  /** Removes the coupon; no coupon is not an error. */
  removeCoupon(caller: CartCaller, cartId: string): Promise<Cart>
  /** A signed-in customer holding a guest cart's token takes it over (merging into their cart). */
  claimCart(customerId: string, cartId: string, token: string | undefined): Promise<Cart>
  /**
   * Moves a guest cart's lines into the customer's open cart (quantities add up, capped at 99)
   * and marks the guest cart `merged`; with no open cart, the guest cart becomes theirs.
   * Returns the customer's cart id. For the login flow; the caller has checked the guest token.
   */
  mergeGuestCart(guestCartId: string, customerId: string): Promise<string>
}

export interface CartsServiceDeps {
  db: CartsDb
  uow: UnitOfWork
  catalog: Pick<CatalogApi, 'getVariantsForPricing'>
  promotions: Pick<PromotionsService, 'evaluate'>
  storeCurrency: string
  pricesIncludeTax: boolean
}

function canSee(row: CartRow, caller: CartCaller): boolean {
  if (row.customer_id !== null) return row.customer_id === caller.customerId
  return tokenMatches(caller.token, row.token_hash)
}

export function createCartsService(deps: CartsServiceDeps): CartsService {
  const { db, uow, catalog } = deps
  const currencies = [...new Set([deps.storeCurrency, ...CART_CURRENCIES])]

  /** The cart and its lines, in one statement; 404 unless the caller may see it. */
  async function visibleCart(caller: CartCaller, cartId: string): Promise<CartWithItems> {
    const found = await repo.findCartWithItems(db, cartId)
    if (!found || !canSee(found.row, caller)) throw CartErrors.notFound(cartId)
    return found
  }

  async function pricingOf(variantIds: string[], currency: string) {
    const rows = await catalog.getVariantsForPricing(variantIds, currency)
    return new Map(rows.map((r) => [r.variantId, r]))
  }

  /** Prices for the cart's lines and `more`, read before a write's transaction. */
  function cartPricing({ row, items }: CartWithItems, more: string[] = []) {
    return pricingOf([...new Set([...more, ...items.map((i) => i.variant_id)])], row.currency)
  }

  /** The cart priced; `known` prices are reused when they cover every line. */
  async function basisOf(
    { row, items }: CartWithItems,
    known?: Map<string, VariantPricing>,
  ): Promise<CartBasis> {
    const pricing =
      known && items.every((i) => known.has(i.variant_id))
        ? known
        : await pricingOf(
            items.map((i) => i.variant_id),
            row.currency,
          )
    return cartBasis(row, items, pricing)
  }

  /** The promotions module's verdict on a code for this cart; never throws for a bad code. */
  function evaluateCoupon(basis: CartBasis, code: string) {
    return deps.promotions.evaluate({
      code,
      currency: basis.row.currency,
      subtotal: basis.subtotal,
      shipping: basis.shipping,
      customerId: basis.row.customer_id,
      email: basis.row.email,
    })
  }

  /** The cart as it is now (after a write: read again, with the prices the write used). */
  async function view(cart: string | CartWithItems, known?: Map<string, VariantPricing>) {
    const found = typeof cart === 'string' ? await repo.findCartWithItems(db, cart) : cart
    if (!found) throw CartErrors.notFound(typeof cart === 'string' ? cart : cart.row.id)
    const basis = await basisOf(found, known)
    const code = basis.row.coupon_code
    const coupon = code === null ? null : await evaluateCoupon(basis, code)
    return priceCart(basis, coupon, deps.pricesIncludeTax)
  }

  function assertSellable(
    variantId: string,
    pricing: VariantPricing | undefined,
    currency: string,
  ) {
    const reason = unavailability(pricing)
    if (reason === 'variant_unavailable') throw CartErrors.variantUnavailable(variantId)
    if (reason === 'price_unavailable') throw CartErrors.priceUnavailable(variantId, currency)
    return pricing!.price!.amount
  }

  /** Runs `fn` with the cart locked (and its version moved on), still visible and open. */
  function withOpenCart(
    caller: CartCaller,
    cartId: string,
    fn: (trx: CartsDb, cart: CartRow) => Promise<unknown>,
  ): Promise<void> {
    return uow.run(async (t) => {
      const trx = narrow<CartsTables>(t)
      const cart = await repo.lockAndTouch(trx, cartId)
      if (!cart || !canSee(cart, caller)) throw CartErrors.notFound(cartId)
      if (cart.status !== 'open') throw CartErrors.notOpen(cartId)
      await fn(trx, cart)
    })
  }

  /**
   * A change that can raise the sums: `change` returns the cart as it will be (lines read under
   * the lock), checked in memory, 409 when its sums would overflow.
   */
  function fitting(
    pricing: Map<string, VariantPricing>,
    change: (trx: CartsDb, cart: CartRow) => Promise<CartWithItems>,
  ) {
    return async (trx: CartsDb, cart: CartRow) => {
      const after = await change(trx, cart)
      assertTotalsFit(after.row, after.items, pricing, deps.pricesIncludeTax)
    }
  }

  const service: CartsService = {
    async createCart(customerId, currency) {
      const code = (currency ?? deps.storeCurrency).toUpperCase()
      if (!currencies.includes(code)) throw CartErrors.currencyUnsupported(code, currencies)
      const token = customerId ? null : randomToken('ct_')
      const row = await repo.insertCart(db, {
        id: newId('cart'),
        customerId,
        tokenHash: token ? sha256(token) : null,
        currency: code,
      })
      const basis = cartBasis(row, [], new Map())
      return { ...priceCart(basis, null, deps.pricesIncludeTax).cart, token }
    },

    async getCart(caller, cartId) {
      return (await view(await visibleCart(caller, cartId))).cart
    },

    async addItem(caller, cartId, { variantId, quantity }) {
      const found = await visibleCart(caller, cartId)
      const currency = found.row.currency
      const pricing = await cartPricing(found, [variantId])
      const unitPrice = assertSellable(variantId, pricing.get(variantId), currency)
      const line = { variantId, quantity, unitPrice }
      const add = fitting(pricing, (trx, cart) => addLine(trx, cart, line))
      await withOpenCart(caller, cartId, add)
      return (await view(cartId, pricing)).cart
    },

    async updateItem(caller, cartId, itemId, quantity) {
      if (quantity === 0) return service.removeItem(caller, cartId, itemId)
      const found = await visibleCart(caller, cartId)
      const currency = found.row.currency
      const item = found.items.find((i) => i.id === itemId)
      if (!item) throw CartErrors.itemNotFound(itemId)
      const pricing = await cartPricing(found)
      const unitPrice = assertSellable(item.variant_id, pricing.get(item.variant_id), currency)
      await withOpenCart(
        caller,
        cartId,
        fitting(pricing, async (trx, cart) => {
          const items = await repo.findItems(trx, cartId)
          const current = items.find((i) => i.id === itemId)
          if (!current) throw CartErrors.itemNotFound(itemId)
          await repo.setItemQuantity(trx, itemId, quantity, unitPrice)
          const changed = { ...current, quantity, unit_price_seen: unitPrice }
          return { row: cart, items: items.map((i) => (i.id === itemId ? changed : i)) }
        }),
      )
      return (await view(cartId, pricing)).cart
    },

    async removeItem(caller, cartId, itemId) {
      await withOpenCart(caller, cartId, async (trx) => {
        if (!(await repo.deleteItem(trx, cartId, itemId))) throw CartErrors.itemNotFound(itemId)
      })
      return (await view(cartId)).cart
    },

    async updateCart(caller, cartId, input) {
      const found = await visibleCart(caller, cartId)
      const currency = found.row.currency
      const address = input.shippingAddress && {
        ...input.shippingAddress,
        country: input.shippingAddress.country.toUpperCase(),
      }
      if (address && !SHIPPING_COUNTRIES.includes(address.country))
        throw CartErrors.countryUnsupported(address.country)
      // The country sets the tax and the method the shipping: both can raise the total.
      const pricing = await cartPricing(found)
      const change = async (trx: CartsDb, cart: CartRow) => {
        const country =
          address === undefined
            ? (cart.shipping_address?.country ?? null)
            : (address?.country ?? null)
        // Availability does not depend on the subtotal, only the price does.
        const available = shippingMethodsFor(country, currency, 0).map((m) => m.id)
        let methodId =
          input.shippingMethodId === undefined ? cart.shipping_method_id : input.shippingMethodId
        if (methodId !== null && !available.includes(methodId)) {
          if (input.shippingMethodId) throw CartErrors.shippingMethodUnavailable(methodId)
          methodId = null // the new country does not offer the method chosen before
        }
        await repo.updateCart(trx, cartId, {
          ...(input.email === undefined ? {} : { email: input.email?.toLowerCase() ?? null }),
          // Consent belongs to the address it was given with: a new email starts without it.
          ...(input.email === undefined && input.reminderConsent === undefined
            ? {}
            : { reminderConsent: input.reminderConsent ?? false }),
          ...(address === undefined ? {} : { shippingAddress: address }),
          shippingMethodId: methodId,
        })
        const row = {
          ...cart,
          shipping_address: address === undefined ? cart.shipping_address : address,
          shipping_method_id: methodId,
        }
        // The lines as they are under the lock.
        return { row, items: await repo.findItems(trx, cartId) }
      }
      await withOpenCart(caller, cartId, fitting(pricing, change))
      return (await view(cartId, pricing)).cart
    },

    async checkoutSnapshot(caller, cartId, input) {
      const address = {
        ...input.shippingAddress,
        country: input.shippingAddress.country.toUpperCase(),
      }
      if (!SHIPPING_COUNTRIES.includes(address.country))
        throw CartErrors.countryUnsupported(address.country)
      const { row, items } = await visibleCart(caller, cartId)
      if (row.status !== 'open') throw CartErrors.notOpen(cartId)
      const pricing = await pricingOf(
        items.map((i) => i.variant_id),
        row.currency,
      )
      // Free shipping depends on the subtotal, which the address does not change.
      const { subtotal } = cartBasis(row, items, pricing)
      const methods = shippingMethodsFor(address.country, row.currency, subtotal)
      const method =
        methods.find((m) => m.id === row.shipping_method_id) ??
        [...methods].sort((a, b) => a.price.amount - b.price.amount)[0]
      if (!method) throw CartErrors.noShippingMethod(address.country)
      const email = input.email.toLowerCase()
      const applied = { ...row, email, shipping_address: address, shipping_method_id: method.id }
      const basis = cartBasis(applied, items, pricing)
      const coupon = row.coupon_code === null ? null : await evaluateCoupon(basis, row.coupon_code)
      return toSnapshot(
        priceCart(basis, coupon, deps.pricesIncludeTax),
        row.version,
        method,
        address,
      )
    },

    close: closeCart,
    reopen: reopenCart,

    async shippingMethods(caller, cartId) {
      const { cart, subtotal } = await view(await visibleCart(caller, cartId))
      const country = cart.shippingAddress?.country ?? null
      return { country, data: shippingMethodsFor(country, cart.currency, subtotal) }
    },

    async applyCoupon(caller, cartId, code) {
      const evaluation = await evaluateCoupon(
        await basisOf(await visibleCart(caller, cartId)),
        code,
      )
      if (evaluation.unavailableReason)
        throw couponError(evaluation.code, evaluation.unavailableReason)
      await withOpenCart(caller, cartId, async (trx) => {
        await repo.updateCart(trx, cartId, { couponCode: evaluation.code })
      })
      return (await view(cartId)).cart
    },

    async removeCoupon(caller, cartId) {
      await withOpenCart(caller, cartId, async (trx) => {
        await repo.updateCart(trx, cartId, { couponCode: null })
      })
      return (await view(cartId)).cart
    },

    async claimCart(customerId, cartId, token) {
      const found = await repo.findCartWithItems(db, cartId)
      const row = found?.row
      if (found && row?.customer_id === customerId) return (await view(found)).cart
      if (!row || row.customer_id !== null || !tokenMatches(token, row.token_hash))
        throw CartErrors.notFound(cartId)
      const targetId = await service.mergeGuestCart(cartId, customerId)
      return (await view(targetId)).cart
    },

    async mergeGuestCart(guestCartId, customerId) {
      return uow.run(async (t) => {
        const trx = narrow<CartsTables>(t)
        const target = await repo.findOpenCartOfCustomer(trx, customerId, guestCartId)
        const locked = await repo.lockCarts(trx, target ? [guestCartId, target.id] : [guestCartId])
        const guest = locked.find((c) => c.id === guestCartId)
        if (!guest || guest.customer_id !== null) throw CartErrors.notFound(guestCartId)
        if (guest.status !== 'open') throw CartErrors.notOpen(guestCartId)
        const into = target && locked.find((c) => c.id === target.id && c.status === 'open')
        if (!into) {
          await repo.updateCart(trx, guestCartId, { customerId, tokenHash: null })
          return guestCartId
        }
        await mergeLines(trx, guest, into)
        await repo.updateCart(trx, guestCartId, { status: 'merged' })
        await repo.updateCart(trx, into.id, {
          ...(into.email === null && guest.email !== null ? { email: guest.email } : {}),
          ...(into.coupon_code === null && guest.coupon_code !== null
            ? { couponCode: guest.coupon_code }
            : {}),
          ...(into.shipping_address === null && guest.shipping_address !== null
            ? {
                shippingAddress: guest.shipping_address,
                shippingMethodId: guest.shipping_method_id,
              }
            : {}),
        })
        return into.id
      })
    },
  }
  return service
}

/** Adds a line, or more of one already there, under the cart's lock: the cart as it will be. */
async function addLine(
  trx: CartsDb,
  cart: CartRow,
  { variantId, quantity, unitPrice }: { variantId: string; quantity: number; unitPrice: number },
): Promise<CartWithItems> {
  const items = await repo.findItems(trx, cart.id)
  const existing = items.find((i) => i.variant_id === variantId)
  if (existing) {
    const total = existing.quantity + quantity
    if (total > MAX_QUANTITY) throw CartErrors.quantityTooLarge(MAX_QUANTITY)
    await repo.setItemQuantity(trx, existing.id, total, unitPrice)
    const changed = { ...existing, quantity: total, unit_price_seen: unitPrice }
    return { row: cart, items: items.map((i) => (i === existing ? changed : i)) }
  }
  if (items.length >= MAX_LINES) throw CartErrors.cartFull(MAX_LINES)
  const added = await repo.insertItem(trx, {
    id: newId('citem'),
    cartId: cart.id,
    variantId,
    quantity,
    unitPrice,
  })
  return { row: cart, items: [...items, added] }
}

async function mergeLines(trx: CartsDb, from: CartRow, into: CartRow): Promise<void> {
  const source = await repo.findItems(trx, from.id)
  const target = await repo.findItems(trx, into.id)
  let lines = target.length
  for (const item of source) {
    const existing = target.find((i) => i.variant_id === item.variant_id)
    if (existing) {
      const quantity = Math.min(MAX_QUANTITY, existing.quantity + item.quantity)
      await repo.setItemQuantity(trx, existing.id, quantity, existing.unit_price_seen)
    } else if (lines < MAX_LINES) {
      lines++
      await repo.insertItem(trx, {
        id: newId('citem'),
        cartId: into.id,
        variantId: item.variant_id,
        quantity: item.quantity,
        unitPrice: item.unit_price_seen,
      })
    }
  }
}
