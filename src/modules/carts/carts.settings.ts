/**
 * Tax rates, shipping methods and cart currencies, kept in code for now (a settings table and an
 * admin API can replace these constants later without changing the cart API).
 */

/** Standard VAT/sales-tax rate per shipping country, in basis points (1900 = 19 %). */
export const TAX_RATES_BPS: Readonly<Record<string, number>> = {
  AT: 2000,
  BE: 2100,
  DE: 1900,
  ES: 2100,
  FR: 2000,
  GB: 2000,
  IE: 2300,
  IT: 2200,
  NL: 2100,
  US: 0,
}

/** Countries a cart can ship to: the ones a tax rate is known for. */
export const SHIPPING_COUNTRIES = Object.keys(TAX_RATES_BPS)

/** Currencies a cart may use besides the store's own: the ones the demo catalog prices in. */
export const CART_CURRENCIES = ['EUR', 'USD', 'GBP'] as const

export interface ShippingRate {
  /** Price in minor units; tax-inclusive or not like the catalog's prices. */
  amount: number
  /** Free when the subtotal reaches this many minor units; null: never free. */
  freeFrom: number | null
}

export interface ShippingMethodDefinition {
  id: string
  name: string
  countries: readonly string[]
  /** Per cart currency; a currency missing here makes the method unavailable for it. */
  rates: Readonly<Record<string, ShippingRate>>
}

const EU = ['AT', 'BE', 'DE', 'ES', 'FR', 'IE', 'IT', 'NL']

export const SHIPPING_METHODS: readonly ShippingMethodDefinition[] = [
  {
    id: 'standard',
    name: 'Standard (3–5 days)',
    countries: [...EU, 'GB', 'US'],
    rates: {
      EUR: { amount: 490, freeFrom: 5000 },
      GBP: { amount: 450, freeFrom: 4500 },
      USD: { amount: 590, freeFrom: 7500 },
    },
  },
  {
    id: 'express',
    name: 'Express (1–2 days)',
    countries: [...EU, 'GB'],
    rates: {
      EUR: { amount: 1490, freeFrom: null },
      GBP: { amount: 1290, freeFrom: null },
    },
  },
]
