import { parseAmount, type Money } from './money.js'

export interface NewProductValues {
  title: string
  description: string
  status: 'draft' | 'published'
  sku: string
  price: string
  currency: string
  stock: string
}

export interface NewProductBody {
  title: string
  description?: string
  status: 'draft' | 'published'
  variants: { sku: string; price: Money; onHand: number }[]
}

export type FieldErrors<K extends string> = Partial<Record<K, string>>

export type Checked<T, K extends string> =
  { ok: true; body: T } | { ok: false; errors: FieldErrors<K> }

/** "12" → 12; empty, negative, fractional or non-numeric stock is a message instead. */
export function parseStock(
  text: string,
): { ok: true; value: number } | { ok: false; message: string } {
  const value = text.trim()
  if (value === '') return { ok: false, message: 'Enter the units on hand (0 or more).' }
  if (!/^\d+$/.test(value)) return { ok: false, message: 'Stock is a whole number, 0 or more.' }
  return { ok: true, value: Number(value) }
}

/** The new-product form → the body of POST /v1/admin/products, or a message per bad field. */
export function newProductBody(
  values: NewProductValues,
): Checked<NewProductBody, keyof NewProductValues> {
  const errors: FieldErrors<keyof NewProductValues> = {}
  const title = values.title.trim()
  const sku = values.sku.trim()
  if (title === '') errors.title = 'Enter a title.'
  if (sku === '') errors.sku = 'Enter a SKU.'
  const price = parseAmount(values.price, values.currency)
  if (!price.ok) errors.price = price.message
  const stock = parseStock(values.stock)
  if (!stock.ok) errors.stock = stock.message
  if (!price.ok || !stock.ok || Object.keys(errors).length > 0) return { ok: false, errors }
  const description = values.description.trim()
  return {
    ok: true,
    body: {
      title,
      ...(description ? { description } : {}),
      status: values.status,
      variants: [
        { sku, price: { amount: price.amount, currency: values.currency }, onHand: stock.value },
      ],
    },
  }
}

/**
 * Price rows of a variant ("19.99" EUR, "21.00" USD) → its `prices`: one per currency, blank rows
 * dropped, each amount parsed exactly; errors are keyed by the row's index.
 */
export function pricesBody(
  rows: { currency: string; amount: string }[],
): { ok: true; prices: Money[] } | { ok: false; errors: Record<number, string> } {
  const errors: Record<number, string> = {}
  const prices: Money[] = []
  const seen = new Set<string>()
  rows.forEach((row, i) => {
    if (row.amount.trim() === '') return
    const currency = row.currency.trim().toUpperCase()
    if (!/^[A-Z]{3}$/.test(currency)) errors[i] = 'Use a three-letter currency code.'
    else if (seen.has(currency)) errors[i] = `${currency} is listed twice.`
    else {
      const parsed = parseAmount(row.amount, currency)
      if (!parsed.ok) errors[i] = parsed.message
      else prices.push({ amount: parsed.amount, currency })
    }
    seen.add(currency)
  })
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  if (prices.length === 0)
    return { ok: false, errors: { 0: 'A variant needs at least one price.' } }
  return { ok: true, prices }
}
