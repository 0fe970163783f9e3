// Small deterministic helpers used to expand the compact seed tables into DemoProduct records.
// No randomness and no clock: the same input always yields the same output.
import type { DemoProduct, DemoVariant } from './types.js'

export type Dim = readonly [name: string, values: readonly string[]]

export interface ProductDef {
  title: string
  categorySlugs: string[]
  description: string
  variants: DemoVariant[]
}

export const size = (...values: string[]): Dim => ['size', values]
export const color = (...values: string[]): Dim => ['color', values]
export const material = (...values: string[]): Dim => ['material', values]
export const capacity = (...values: string[]): Dim => ['capacity', values]
export const weight = (...values: string[]): Dim => ['weight', values]
export const length = (...values: string[]): Dim => ['length', values]
export const format = (...values: string[]): Dim => ['format', values]
export const scent = (...values: string[]): Dim => ['scent', values]
export const option = (name: string, ...values: string[]): Dim => [name, values]

const CODES: Readonly<Record<string, string>> = {
  Black: 'BLK',
  White: 'WHT',
  Navy: 'NVY',
  Grey: 'GRY',
  'Heather Grey': 'HGR',
  'Pale Grey': 'PGR',
  'Space Grey': 'SGR',
  Green: 'GRN',
  Blue: 'BLU',
  Brown: 'BRN',
  'Dark Brown': 'DBR',
  Silver: 'SLV',
  Olive: 'OLV',
  Slate: 'SLT',
  Charcoal: 'CHR',
  Cream: 'CRM',
  Natural: 'NAT',
  'Matte Black': 'MBK',
  'Brushed Steel': 'BST',
  'Stainless Steel': 'SST',
}

// Short uppercase code for an option value: 'Black' -> 'BLK', 'EU 42' -> 'EU42', '1.5 L' -> '15L'.
// Values containing digits are kept whole; longer words keep their first letter plus consonants.
export function code(value: string): string {
  const known = CODES[value]
  if (known !== undefined) return known
  const clean = value.toUpperCase().replace(/[^A-Z0-9]/g, '')
  if (clean.length <= 4 || /[0-9]/.test(clean)) return clean
  const consonants = clean
    .slice(1)
    .split('')
    .filter((c) => !'AEIOUY'.includes(c))
    .join('')
  return (clean.charAt(0) + consonants).slice(0, 3)
}

// Nearest price with a .99 ending (or .00 when the EUR price is a round amount), in minor units.
function convert(eur: number, rate: number): number {
  const target = eur * rate
  if (eur % 100 === 0) return Math.max(100, Math.round(target / 100) * 100)
  return Math.max(99, Math.round((target + 1) / 100) * 100 - 1)
}

export function prices(eur: number): DemoVariant['prices'] {
  return { EUR: eur, USD: convert(eur, 1.08), GBP: convert(eur, 0.86) }
}

// 32-bit FNV-1a; used only to spread stock levels deterministically.
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

// About 5% of SKUs are out of stock, about 10% are low (1-5), the rest have 6-150 units.
export function stock(sku: string): number {
  const h = hash(sku)
  const bucket = h % 100
  if (bucket < 5) return 0
  if (bucket < 15) return 1 + ((h >>> 8) % 5)
  return 6 + ((h >>> 8) % 145)
}

export function single(sku: string, eur: number): DemoVariant[] {
  return [{ sku, title: 'Default', options: {}, prices: prices(eur), onHand: stock(sku) }]
}

// Cartesian product of the option dimensions. `extra` adds EUR minor units per option value
// (negative amounts are allowed, e.g. a paperback costs less than the hardcover base price).
export function variants(
  base: string,
  eur: number,
  dims: readonly Dim[],
  extra: Readonly<Record<string, number>> = {},
): DemoVariant[] {
  let combos: Array<Array<[string, string]>> = [[]]
  for (const [name, values] of dims) {
    combos = combos.flatMap((combo) =>
      values.map((value): Array<[string, string]> => [...combo, [name, value]]),
    )
  }
  return combos.map((combo) => {
    const sku = [base, ...combo.map(([, value]) => code(value))].join('-')
    const amount = combo.reduce((sum, [, value]) => sum + (extra[value] ?? 0), eur)
    return {
      sku,
      title: combo.map(([, value]) => value).join(' / '),
      options: Object.fromEntries(combo),
      prices: prices(amount),
      onHand: stock(sku),
    }
  })
}

export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['\u2019]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

export function products(defs: readonly ProductDef[]): DemoProduct[] {
  return defs.map((def) => ({
    slug: slugify(def.title),
    title: def.title,
    description: def.description,
    categorySlugs: def.categorySlugs,
    variants: def.variants,
  }))
}
