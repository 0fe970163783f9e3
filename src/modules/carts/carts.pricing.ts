import type { VariantPricing } from '../catalog/index.js'
import { money } from '../../shared/money.js'
import type { CartItemRow, CartRow } from './carts.repo.js'
import type { Cart, CartItem, ShippingMethod } from './carts.schema.js'
import { SHIPPING_METHODS, TAX_RATES_BPS } from './carts.settings.js'
import { computeTotals } from './carts.totals.js'

/** Why a variant cannot be sold in a currency, or null when it can. */
export function unavailability(
  pricing: VariantPricing | undefined,
): 'variant_unavailable' | 'price_unavailable' | null {
  if (!pricing?.published) return 'variant_unavailable'
  if (!pricing.price) return 'price_unavailable'
  return null
}

/** The methods that ship to `country` in `currency`, priced for a cart of `subtotal`. */
export function shippingMethodsFor(
  country: string | null,
  currency: string,
  subtotal: number,
): ShippingMethod[] {
  if (!country) return []
  const out: ShippingMethod[] = []
  for (const method of SHIPPING_METHODS) {
    const rate = method.rates[currency]
    if (!rate || !method.countries.includes(country)) continue
    const free = rate.freeFrom !== null && subtotal >= rate.freeFrom
    out.push({
      id: method.id,
      name: method.name,
      price: money(free ? 0 : rate.amount, currency),
      freeFrom: rate.freeFrom === null ? null : money(rate.freeFrom, currency),
    })
  }
  return out
}

export interface PricedCart {
  cart: Cart
  /** Subtotal in minor units: what free-shipping thresholds compare with. */
  subtotal: number
}

/**
 * Prices a cart from its stored lines and the catalog's current prices. Lines whose variant is
 * gone, unpublished or unpriced stay visible but count for nothing (checkout refuses them).
 */
export function priceCart(
  row: CartRow,
  items: CartItemRow[],
  pricing: Map<string, VariantPricing>,
  pricesIncludeTax: boolean,
): PricedCart {
  const currency = row.currency
  const lines = items.map((item) => {
    const p = pricing.get(item.variant_id)
    const reason = unavailability(p)
    return { item, p, reason, unitPrice: reason ? 0 : p!.price!.amount }
  })
  const priced = lines.map((l) => ({ unitPrice: l.unitPrice, quantity: l.item.quantity }))
  const subtotal = computeTotals(priced, { taxRateBps: 0, pricesIncludeTax, shipping: 0 }).subtotal
  const country = row.shipping_address?.country ?? null
  const taxRateBps = country ? (TAX_RATES_BPS[country] ?? 0) : 0
  const method = shippingMethodsFor(country, currency, subtotal).find(
    (m) => m.id === row.shipping_method_id,
  )
  const totals = computeTotals(priced, {
    taxRateBps,
    pricesIncludeTax,
    shipping: method?.price.amount ?? 0,
  })
  const cartItems: CartItem[] = lines.map((l, i) => ({
    id: l.item.id,
    variantId: l.item.variant_id,
    productId: l.p?.productId ?? null,
    sku: l.p?.sku ?? null,
    title: l.p?.title ?? null,
    productTitle: l.p?.productTitle ?? null,
    quantity: l.item.quantity,
    unitPrice: l.reason ? null : money(l.unitPrice, currency),
    lineTotal: money(totals.lines[i]!.total, currency),
    available: l.reason === null,
    unavailableReason: l.reason,
    inStock: l.p?.inStock ?? false,
  }))
  return {
    subtotal,
    cart: {
      id: row.id,
      currency,
      status: row.status,
      email: row.email,
      shippingAddress: row.shipping_address,
      shippingMethodId: method ? method.id : null,
      items: cartItems,
      totals: {
        subtotal: money(totals.subtotal, currency),
        discount: money(totals.discount, currency),
        shipping: money(totals.shipping, currency),
        tax: money(totals.tax, currency),
        total: money(totals.total, currency),
      },
      taxInfo: {
        country,
        rateBps: taxRateBps,
        pricesIncludeTax,
        note: country ? null : 'No shipping country yet: tax is 0 until one is set.',
      },
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    },
  }
}
