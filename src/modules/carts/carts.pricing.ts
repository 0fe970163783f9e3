import type { VariantPricing } from '../catalog/index.js'
import type { Evaluation } from '../promotions/index.js'
import { money } from '../../shared/money.js'
import type { CartItemRow, CartRow } from './carts.repo.js'
import type { Cart, CartCoupon, CartItem, ShippingMethod } from './carts.schema.js'
import { SHIPPING_METHODS, TAX_RATES_BPS } from './carts.settings.js'
import { boundedSum, computeTotals } from './carts.totals.js'

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

interface PricedLine {
  item: CartItemRow
  p: VariantPricing | undefined
  reason: ReturnType<typeof unavailability>
  unitPrice: number
}

/** What a cart costs before any promotion: what a coupon is evaluated against. */
export interface CartBasis {
  row: CartRow
  lines: PricedLine[]
  subtotal: number
  country: string | null
  taxRateBps: number
  method: ShippingMethod | undefined
  /** The chosen method's price, 0 without one. */
  shipping: number
}

/**
 * Prices a cart's stored lines with the catalog's current prices. Lines whose variant is gone,
 * unpublished or unpriced stay visible but count for nothing (checkout refuses them).
 */
export function cartBasis(
  row: CartRow,
  items: CartItemRow[],
  pricing: Map<string, VariantPricing>,
): CartBasis {
  const lines = items.map((item) => {
    const p = pricing.get(item.variant_id)
    const reason = unavailability(p)
    return { item, p, reason, unitPrice: reason ? 0 : p!.price!.amount }
  })
  const subtotal = boundedSum(lines.map((l) => l.unitPrice * l.item.quantity))
  const country = row.shipping_address?.country ?? null
  const taxRateBps = country ? (TAX_RATES_BPS[country] ?? 0) : 0
  const method = shippingMethodsFor(country, row.currency, subtotal).find(
    (m) => m.id === row.shipping_method_id,
  )
  return { row, lines, subtotal, country, taxRateBps, method, shipping: method?.price.amount ?? 0 }
}

/**
 * In a write's transaction, before it commits: 409 `cart_total_too_large` when the cart's lines
 * (as locked, with prices read before the transaction) would pass `MAX_CART_AMOUNT`. Priced
 * without the coupon, which only lowers the sums, so a cart that passes fits with it too.
 */
export function assertTotalsFit(
  row: CartRow,
  items: CartItemRow[],
  pricing: Map<string, VariantPricing>,
  pricesIncludeTax: boolean,
): void {
  priceCart(cartBasis(row, items, pricing), null, pricesIncludeTax)
}

function couponOf(evaluation: Evaluation | null): CartCoupon | null {
  if (!evaluation) return null
  return {
    code: evaluation.code,
    kind: evaluation.kind,
    ...(evaluation.description ? { description: evaluation.description } : {}),
    unavailableReason: evaluation.unavailableReason,
  }
}

/**
 * The cart as the API shows it: the basis, with the coupon's evaluation (computed by the
 * promotions module from the same subtotal the checkout will redeem against) spread over it.
 */
export function priceCart(
  basis: CartBasis,
  coupon: Evaluation | null,
  pricesIncludeTax: boolean,
): PricedCart {
  const { row, lines, country, taxRateBps, method } = basis
  const currency = row.currency
  const totals = computeTotals(
    lines.map((l) => ({ unitPrice: l.unitPrice, quantity: l.item.quantity })),
    {
      taxRateBps,
      pricesIncludeTax,
      shipping: basis.shipping,
      discount: coupon?.discount ?? 0,
      freeShipping: coupon?.freeShipping ?? false,
    },
  )
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
    lineDiscount: money(totals.lines[i]!.discount, currency),
    available: l.reason === null,
    unavailableReason: l.reason,
    inStock: l.p?.inStock ?? false,
  }))
  return {
    subtotal: basis.subtotal,
    cart: {
      id: row.id,
      currency,
      status: row.status,
      email: row.email,
      reminderConsent: row.reminder_consent,
      shippingAddress: row.shipping_address,
      shippingMethodId: method ? method.id : null,
      items: cartItems,
      coupon: couponOf(coupon),
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
