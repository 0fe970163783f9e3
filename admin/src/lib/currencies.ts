/** Currencies offered in price fields; the API accepts any ISO 4217 code. */
export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'DKK', 'PLN', 'JPY'] as const

export const currencyOptions = CURRENCIES.map((c) => ({ value: c, label: c }))
