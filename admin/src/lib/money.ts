/** Money as the API sends it: integer minor units and an ISO 4217 code. */
export interface Money {
  amount: number
  currency: string
}

/** Digits after the decimal point in `currency` (2 for EUR, 0 for JPY, 3 for KWD). */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  )
}

/** `{ amount: 1999, currency: 'EUR' }` → "€19.99" (in `locale`, English by default). */
export function formatMoney(money: Money, locale = 'en'): string {
  const digits = minorDigits(money.currency)
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(
    money.amount / 10 ** digits,
  )
}

/** Minor units as the text a price field shows: 1999 EUR → "19.99", 500 JPY → "500". */
export function toInputText(amount: number, currency: string): string {
  const digits = minorDigits(currency)
  if (digits === 0) return String(amount)
  const sign = amount < 0 ? '-' : ''
  const abs = Math.abs(amount)
  const whole = Math.floor(abs / 10 ** digits)
  const fraction = String(abs % 10 ** digits).padStart(digits, '0')
  return `${sign}${whole}.${fraction}`
}

export type ParsedAmount = { ok: true; amount: number } | { ok: false; message: string }

/**
 * What someone typed into a price field → minor units, exactly (no floating point): "19.99",
 * "19,99", "19.9", "19" and "1,234.50" are all fine for EUR; too many decimals, a negative
 * amount, letters or an empty field are refused with a message to show beside the field.
 */
export function parseAmount(text: string, currency: string): ParsedAmount {
  const digits = minorDigits(currency)
  let value = text.trim().replace(/\s/g, '')
  if (value === '') return { ok: false, message: 'Enter an amount.' }
  if (value.startsWith('-')) return { ok: false, message: 'The amount cannot be negative.' }
  // "1,234.50": commas before a dot group thousands. "19,99" alone: a decimal comma.
  if (value.includes('.')) value = value.replace(/,(?=\d{3}(\D|$))/g, '')
  else if (/^\d+,\d+$/.test(value)) value = value.replace(',', '.')
  const match = /^(\d+)(?:\.(\d*))?$/.exec(value)
  if (!match) return { ok: false, message: 'Enter a number such as 19.99.' }
  const fraction = match[2] ?? ''
  if (fraction.length > digits) {
    return {
      ok: false,
      message:
        digits === 0
          ? `${currency} has no decimal places.`
          : `${currency} has at most ${digits} decimal places.`,
    }
  }
  const amount = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0')
  if (!Number.isSafeInteger(amount)) return { ok: false, message: 'The amount is too large.' }
  return { ok: true, amount }
}
