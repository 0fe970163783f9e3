/** Money is integer minor units plus an ISO 4217 code: never a float. */
export interface Money {
  amount: number
  currency: string
}

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount))
    throw new TypeError(`money amount must be an integer: ${amount}`)
  return { amount, currency }
}

/**
 * `numerator / denominator` rounded half up (half away from zero for the non-negative amounts
 * money uses here), computed in BigInt so `amount × rate` cannot lose precision.
 */
export function divRoundHalfUp(numerator: number, denominator: number): number {
  return mulDivRoundHalfUp(numerator, 1, denominator)
}

/**
 * `a × b / denominator` rounded like `divRoundHalfUp`, with the product taken in BigInt: exact
 * even when `a × b` passes 2^53 (an amount of 1e12 times a rate of 10 000 basis points).
 */
export function mulDivRoundHalfUp(a: number, b: number, denominator: number): number {
  if (
    !Number.isSafeInteger(a) ||
    !Number.isSafeInteger(b) ||
    !Number.isSafeInteger(denominator) ||
    denominator <= 0
  )
    throw new RangeError(`divRoundHalfUp needs integers and a positive divisor`)
  const n = BigInt(a) * BigInt(b)
  const d = BigInt(denominator)
  const sign = n < 0n ? -1n : 1n
  const q = (2n * (n * sign) + d) / (2n * d)
  return Number(q * sign)
}
