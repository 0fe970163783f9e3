// Demo catalog an empty store is seeded with on first start. Pure, deterministic data.
import type { DemoCategory, DemoProduct } from './types.js'
import { apparelProducts } from './apparel.js'
import { beautyProducts } from './beauty.js'
import { bookProducts } from './books.js'
import { categories } from './categories.js'
import { electronicsProducts } from './electronics.js'
import { homeKitchenProducts } from './home-kitchen.js'
import { outdoorProducts } from './outdoor.js'

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
