// Demo catalog an empty store is seeded with on first start. Pure, deterministic data.
import { apparelProducts } from './apparel.js'
import { beautyProducts } from './beauty.js'
import { bookProducts } from './books.js'
import { categories } from './categories.js'
import { electronicsProducts } from './electronics.js'
import { homeKitchenProducts } from './home-kitchen.js'
import { outdoorProducts } from './outdoor.js'

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

// Parents precede their children.
export const demoCategories: DemoCategory[] = categories

export const demoProducts: DemoProduct[] = [
  ...apparelProducts,
  ...homeKitchenProducts,
  ...outdoorProducts,
  ...electronicsProducts,
  ...bookProducts,
  ...beautyProducts,
]
