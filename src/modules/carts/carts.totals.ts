import { mulDivRoundHalfUp } from '../../shared/money.js'
import { CartErrors } from './carts.errors.js'

/**
 * The largest amount any cart sum (subtotal, discount, shipping, tax, total) may reach: the
 * largest amount a Money carries in the API (1e12 minor units). Past it a cart is refused with
 * 409 `cart_total_too_large` instead of showing a total that float arithmetic has rounded.
 */
export const MAX_CART_AMOUNT = 1e12

/** `value`, or 409 `cart_total_too_large` when it passes `MAX_CART_AMOUNT`. */
function bounded(value: number): number {
  if (value > MAX_CART_AMOUNT) throw CartErrors.totalTooLarge(MAX_CART_AMOUNT)
  return value
}

/**
 * The sum of non-negative safe integers, checked after each term: the running sum stays at most
 * 1e12 and each term is below 2^53 / 2, so every addition is exact until the bound refuses it.
 */
export function boundedSum(values: readonly number[]): number {
  return values.reduce((sum, value) => bounded(sum + value), 0)
}

/** One priced cart line: unit price in minor units of the cart's currency. */
export interface TotalsLine {
  unitPrice: number
  quantity: number
}

export interface TotalsOptions {
  /** Tax rate in basis points (1900 = 19 %); 0 when the country is not known yet. */
  taxRateBps: number
  /** Whether unit prices (and the shipping price) already contain the tax. */
  pricesIncludeTax: boolean
  /** The shipping price in minor units, taxed like a line. */
  shipping: number
  /**
   * An order-level discount in minor units (a promotion's, from its `discountFor`), capped at the
   * subtotal and spread over the lines by `allocateDiscount` before tax.
   */
  discount?: number
  /** A free-shipping promotion: shipping counts as 0 (and so does its tax). */
  freeShipping?: boolean
}

export interface LineTotals {
  /** unitPrice × quantity, as priced (gross when prices include tax, else net). */
  total: number
  /** This line's share of the discount. */
  discount: number
  /** Tax on `total − discount`. */
  tax: number
}

export interface Totals {
  subtotal: number
  discount: number
  shipping: number
  tax: number
  total: number
  lines: LineTotals[]
}

const BPS = 10_000

/**
 * Tax of one priced amount, rounded half up on the line (not on the sum): each line of an
 * invoice shows its own rounded tax and the document's tax is their sum.
 */
export function lineTax(amount: number, taxRateBps: number, pricesIncludeTax: boolean): number {
  if (taxRateBps === 0 || amount === 0) return 0
  return pricesIncludeTax
    ? mulDivRoundHalfUp(amount, taxRateBps, BPS + taxRateBps)
    : mulDivRoundHalfUp(amount, taxRateBps, BPS)
}

/**
 * Spreads `discount` over lines in proportion to their amounts, in integer minor units, by the
 * largest-remainder method: each line gets the floor of its exact share, and the units left over
 * go one each to the lines with the largest remainders (ties: the earlier line). The shares add
 * up to exactly `min(discount, Σ amounts)` and no line gets more than its own amount.
 */
export function allocateDiscount(amounts: readonly number[], discount: number): number[] {
  if (!Number.isSafeInteger(discount) || discount < 0)
    throw new RangeError(`discount must be a non-negative integer: ${discount}`)
  const sum = amounts.reduce((a, b) => a + b, 0)
  const total = BigInt(Math.min(discount, sum))
  if (total === 0n) return amounts.map(() => 0)
  // BigInt: amount × discount can pass 2^53 for large carts.
  const exact = amounts.map((a, index) => {
    const product = BigInt(a) * total
    return { index, share: product / BigInt(sum), remainder: product % BigInt(sum) }
  })
  let left = total - exact.reduce((s, e) => s + e.share, 0n)
  const byRemainder = [...exact].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  )
  for (const e of byRemainder) {
    if (left === 0n) break
    e.share += 1n
    left -= 1n
  }
  return exact.map((e) => Number(e.share))
}

/**
 * A cart's totals in integer minor units. With tax-inclusive prices the tax is the part of the
 * subtotal and shipping that is tax (total = subtotal − discount + shipping); with exclusive
 * prices it is added on top (total = subtotal − discount + shipping + tax). A discount is spread
 * over the lines first (`allocateDiscount`) and each line's tax is rounded on its discounted
 * amount, so an invoice line shows its own rounded tax whatever the promotion.
 */
export function computeTotals(lines: readonly TotalsLine[], options: TotalsOptions): Totals {
  const { taxRateBps, pricesIncludeTax, shipping } = options
  if (!Number.isInteger(taxRateBps) || taxRateBps < 0 || taxRateBps > BPS)
    throw new RangeError(`tax rate must be 0..${BPS} basis points: ${taxRateBps}`)
  if (!Number.isSafeInteger(shipping) || shipping < 0)
    throw new RangeError(`shipping must be a non-negative integer: ${shipping}`)
  const amounts = lines.map(({ unitPrice, quantity }) => {
    if (!Number.isSafeInteger(unitPrice) || unitPrice < 0 || !Number.isSafeInteger(quantity))
      throw new RangeError(`line amounts must be non-negative integers`)
    return bounded(unitPrice * quantity)
  })
  // Every sum is bounded before the next step uses it: no total is ever a rounded float.
  const subtotal = boundedSum(amounts)
  const shares = allocateDiscount(amounts, options.discount ?? 0)
  const lineTotals = amounts.map((total, i) => {
    const discount = shares[i]!
    return { total, discount, tax: lineTax(total - discount, taxRateBps, pricesIncludeTax) }
  })
  const discount = boundedSum(shares)
  const shipped = bounded(options.freeShipping ? 0 : shipping)
  const tax = boundedSum([
    ...lineTotals.map((l) => l.tax),
    lineTax(shipped, taxRateBps, pricesIncludeTax),
  ])
  const total = bounded(subtotal - discount + shipped + (pricesIncludeTax ? 0 : tax))
  return { subtotal, discount, shipping: shipped, tax, total, lines: lineTotals }
}
