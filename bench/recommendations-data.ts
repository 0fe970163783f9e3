// Synthetic order histories for the recommendations quality bench: a catalog of themed
// categories, popularity following a power law, and latent "goes with" relations between
// products of complementary categories, so that co-purchases exist beyond popularity.

/** A small seeded generator (mulberry32): the same run gives the same histories. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Themes of three complementary categories: what goes with a tent is a stove or a sleeping bag. */
const THEMES = [
  ['Mug', 'Kettle', 'Tea Caddy'],
  ['Desk Lamp', 'Lamp Shade', 'Light Bulb'],
  ['Tent', 'Sleeping Bag', 'Camping Stove'],
  ['Running Shoe', 'Sport Sock', 'Insole'],
  ['Paint Brush', 'Canvas', 'Easel'],
  ['Guitar', 'String Set', 'Capo'],
  ['Phone Case', 'Charger', 'USB Cable'],
  ['Yoga Mat', 'Yoga Block', 'Yoga Strap'],
]
const ADJECTIVES = [
  'Classic',
  'Compact',
  'Deluxe',
  'Everyday',
  'Heritage',
  'Lightweight',
  'Modern',
  'Nordic',
  'Pocket',
  'Premium',
  'Rustic',
  'Studio',
  'Travel',
  'Urban',
  'Vintage',
  'Wild',
  'Zen',
  'Coastal',
  'Alpine',
  'Bold',
]

export interface SyntheticProduct {
  key: number
  title: string
  description: string
  category: number
  theme: number
}

export interface SyntheticHistory {
  categories: string[]
  products: SyntheticProduct[]
  /** Orders in time order, each a list of distinct product keys. */
  orders: number[][]
}

export interface HistoryOptions {
  orders: number
  seed: number
  /** The power law's exponent: product of popularity rank r has weight 1 / r^exponent. */
  exponent: number
  /** Companions per product, drawn from the other categories of its theme. */
  companions: number
}

function catalog(): { categories: string[]; products: SyntheticProduct[] } {
  const categories = THEMES.flat()
  const products: SyntheticProduct[] = []
  THEMES.forEach((nouns, theme) =>
    nouns.forEach((noun, n) => {
      for (const adjective of ADJECTIVES) {
        products.push({
          key: products.length,
          title: `${adjective} ${noun}`,
          description: `A ${adjective.toLowerCase()} ${noun.toLowerCase()} for every day.`,
          category: theme * 3 + n,
          theme,
        })
      }
    }),
  )
  return { categories, products }
}

/** Draws an index by weight (cumulative weights, binary search). */
function sampler(weights: number[], random: () => number): () => number {
  const cumulative: number[] = []
  let sum = 0
  for (const w of weights) cumulative.push((sum += w))
  return () => {
    const x = random() * sum
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy
}

/**
 * An order starts with a product drawn by popularity; then, while a coin says so, a companion of
 * one of its products joins it (the latent relation), and now and then an impulse buy drawn by
 * popularity alone (the noise a popularity baseline thrives on).
 */
export function syntheticHistory(options: HistoryOptions): SyntheticHistory {
  const random = seededRandom(options.seed)
  const { categories, products } = catalog()
  const ranked = shuffled(products, random)
  const weights: number[] = new Array<number>(products.length)
  ranked.forEach((p, rank) => (weights[p.key] = 1 / Math.pow(rank + 1, options.exponent)))
  const popular = sampler(weights, random)
  const companions = products.map((p) => {
    const pool = products.filter((q) => q.theme === p.theme && q.category !== p.category)
    return shuffled(pool, random)
      .slice(0, options.companions)
      .map((q) => q.key)
  })
  const orders: number[][] = []
  for (let i = 0; i < options.orders; i++) {
    const order = new Set([popular()])
    let chance = 0.7
    while (order.size < 8 && random() < chance) {
      const from = [...order][Math.floor(random() * order.size)]!
      const list = companions[from]!
      order.add(list[Math.floor(random() * list.length)]!)
      chance *= 0.6
    }
    if (random() < 0.3) order.add(popular())
    orders.push([...order])
  }
  return { categories, products, orders }
}
