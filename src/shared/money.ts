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
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0)
    throw new RangeError(`divRoundHalfUp needs integers and a positive divisor`)
  const n = BigInt(numerator)
  const d = BigInt(denominator)
  const sign = n < 0n ? -1n : 1n
  const q = (2n * (n * sign) + d) / (2n * d)
  return Number(q * sign)
}
