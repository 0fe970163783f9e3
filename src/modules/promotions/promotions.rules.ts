import type { AmountsByCurrency, PromotionKind } from './promotions.tables.js'

/** Why a code gives nothing to a cart; part of the API (`coupon.unavailableReason`). */
export type CouponUnavailableReason =
  | 'not_found'
  | 'inactive'
  | 'not_started'
  | 'expired'
  | 'currency_unsupported'
  | 'minimum_not_met'
  | 'exhausted'
  | 'customer_limit_reached'

export const COUPON_UNAVAILABLE_REASONS: readonly CouponUnavailableReason[] = [
  'not_found',
  'inactive',
  'not_started',
  'expired',
  'currency_unsupported',
  'minimum_not_met',
  'exhausted',
  'customer_limit_reached',
]

/** A promotion as the rules see it. */
export interface Promotion {
  id: string
  code: string
  kind: PromotionKind
  description: string | null
  percentOffBps: number | null
  amountOff: AmountsByCurrency | null
  minimumSubtotal: AmountsByCurrency | null
  startsAt: Date | null
  endsAt: Date | null
  usageLimit: number | null
  perCustomerLimit: number | null
  timesUsed: number
  active: boolean
  version: number
  createdAt: Date
  updatedAt: Date
}

/** What a code does for one cart: what the cart's totals and the checkout's redemption use. */
export interface Evaluation {
  /** The code, normalized (trimmed, upper-case). */
  code: string
  promotionId: string | null
  /** Null only when no promotion has this code. */
  kind: PromotionKind | null
  description: string | null
  /** Null when the code applies. */
  unavailableReason: CouponUnavailableReason | null
  /** Off the subtotal, in minor units of the cart's currency; 0 when the code does not apply. */
  discount: number
  /** Shipping counts as 0. */
  freeShipping: boolean
}

export interface EvaluationInput {
  currency: string
  subtotal: number
  at: Date
  /** How many times this customer has used the promotion already (0 when unknown). */
  usedByCustomer: number
}

export function normalizeCode(code: string): string {
  return code.trim().toUpperCase()
}

/** Who a per-customer limit counts: the customer id when signed in, else the lower-cased email. */
export function customerKey(customerId: string | null, email: string | null): string | null {
  if (customerId) return `customer:${customerId}`
  if (email) return `email:${email.trim().toLowerCase()}`
  return null
}

export function notFound(code: string): Evaluation {
  return {
    code,
    promotionId: null,
    kind: null,
    description: null,
    unavailableReason: 'not_found',
    discount: 0,
    freeShipping: false,
  }
}

function unavailableReason(p: Promotion, input: EvaluationInput): CouponUnavailableReason | null {
  const { currency, subtotal, at } = input
  if (!p.active) return 'inactive'
  if (p.startsAt && at < p.startsAt) return 'not_started'
  if (p.endsAt && at >= p.endsAt) return 'expired'
  if (p.kind === 'fixed_amount' && p.amountOff?.[currency] === undefined)
    return 'currency_unsupported'
  if (p.minimumSubtotal) {
    const minimum = p.minimumSubtotal[currency]
    if (minimum === undefined) return 'currency_unsupported'
    if (subtotal < minimum) return 'minimum_not_met'
  }
  if (p.usageLimit !== null && p.timesUsed >= p.usageLimit) return 'exhausted'
  if (p.perCustomerLimit !== null && input.usedByCustomer >= p.perCustomerLimit)
    return 'customer_limit_reached'
  return null
}

/**
 * The discount a promotion gives on `subtotal`: a percentage rounded half up on the whole
 * subtotal (the cart then spreads it over its lines), a fixed amount capped at the subtotal
 * (never negative totals, never a discount on shipping), or free shipping (discount 0, shipping
 * counts as 0). The one function both the cart's totals and the checkout's redemption use.
 */
export function discountFor(
  p: Pick<Promotion, 'kind' | 'percentOffBps' | 'amountOff'>,
  currency: string,
  subtotal: number,
): { discount: number; freeShipping: boolean } {
  if (!Number.isSafeInteger(subtotal) || subtotal < 0)
    throw new RangeError(`subtotal must be a non-negative integer: ${subtotal}`)
  switch (p.kind) {
    case 'percentage': {
      const bps = BigInt(p.percentOffBps ?? 0)
      const off = (2n * BigInt(subtotal) * bps + 10_000n) / 20_000n
      return { discount: Math.min(Number(off), subtotal), freeShipping: false }
    }
    case 'fixed_amount':
      return { discount: Math.min(p.amountOff?.[currency] ?? 0, subtotal), freeShipping: false }
    case 'free_shipping':
      return { discount: 0, freeShipping: true }
  }
}

/** Applies every rule of `p` to a cart; never throws for a code that does not apply. */
export function evaluatePromotion(p: Promotion, input: EvaluationInput): Evaluation {
  const reason = unavailableReason(p, input)
  const granted = reason
    ? { discount: 0, freeShipping: false }
    : discountFor(p, input.currency, input.subtotal)
  return {
    code: p.code,
    promotionId: p.id,
    kind: p.kind,
    description: p.description,
    unavailableReason: reason,
    ...granted,
  }
}
