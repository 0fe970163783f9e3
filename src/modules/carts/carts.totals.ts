import { divRoundHalfUp } from '../../shared/money.js'

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
}

export interface LineTotals {
  /** unitPrice × quantity, as priced (gross when prices include tax, else net). */
  total: number
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
    ? divRoundHalfUp(amount * taxRateBps, BPS + taxRateBps)
    : divRoundHalfUp(amount * taxRateBps, BPS)
}

/**
 * A cart's totals in integer minor units. With tax-inclusive prices the tax is the part of the
 * subtotal and shipping that is tax (total = subtotal − discount + shipping); with exclusive
 * prices it is added on top (total = subtotal − discount + shipping + tax).
 */
export function computeTotals(lines: readonly TotalsLine[], options: TotalsOptions): Totals {
  const { taxRateBps, pricesIncludeTax, shipping } = options
  if (!Number.isInteger(taxRateBps) || taxRateBps < 0 || taxRateBps > BPS)
    throw new RangeError(`tax rate must be 0..${BPS} basis points: ${taxRateBps}`)
  if (!Number.isSafeInteger(shipping) || shipping < 0)
    throw new RangeError(`shipping must be a non-negative integer: ${shipping}`)
  const lineTotals = lines.map(({ unitPrice, quantity }) => {
    if (!Number.isSafeInteger(unitPrice) || unitPrice < 0 || !Number.isSafeInteger(quantity))
      throw new RangeError(`line amounts must be non-negative integers`)
    const total = unitPrice * quantity
    return { total, tax: lineTax(total, taxRateBps, pricesIncludeTax) }
  })
  const subtotal = lineTotals.reduce((sum, l) => sum + l.total, 0)
  // Seam for promotions: they will allocate a discount across the lines here, before tax, so
  // each line's tax is computed on its discounted amount.
  const discount = 0
  const tax =
    lineTotals.reduce((sum, l) => sum + l.tax, 0) + lineTax(shipping, taxRateBps, pricesIncludeTax)
  const total = subtotal - discount + shipping + (pricesIncludeTax ? 0 : tax)
  return { subtotal, discount, shipping, tax, total, lines: lineTotals }
}
