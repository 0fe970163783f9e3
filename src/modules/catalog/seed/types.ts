/** The demo catalog's shapes, kept apart so the seed files and the list import them without a circle. */
export interface DemoCategory {
  slug: string
  name: string
  description: string
  parentSlug?: string
}

export interface DemoVariant {
  sku: string // unique across the whole catalog, uppercase, e.g. 'TEE-ORG-BLK-M'
  title: string // e.g. 'Black / M'
  options: Record<string, string> // e.g. { color: 'Black', size: 'M' }
  prices: { EUR: number; USD: number; GBP: number } // integer minor units
  onHand: number // integer >= 0
}

export interface DemoProduct {
  slug: string // unique, kebab-case, lowercase ascii
  title: string
  description: string
  categorySlugs: string[] // 1-2 categories, each exists in demoCategories
  variants: DemoVariant[] // 1..6 variants
}
