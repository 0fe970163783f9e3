// After a checkout run: do the stock levels and the paid orders agree? Read through the admin API,
// which works on both engines (PGlite lives inside the server process; nothing else can open it).
import { ADMIN, call, INITIAL_STOCK } from './checkout.js'

export interface StockCheck {
  variants: number
  /** Units that left stock: Σ (initial − on hand). */
  taken: number
  /** Units on paid (or later: fulfilled, delivered) orders, bench variants only. */
  sold: number
  /** Units still held for orders awaiting payment when the check gave up waiting. */
  reserved: number
  /** Units sold beyond what stock gave up, plus any level below zero: must be 0. */
  oversell: number
  /** Every invariant held: on hand + sold = initial per variant, no level below zero. */
  ok: boolean
  /** What broke, when something did. */
  detail: string
}

interface Level {
  variantId: string
  onHand: number
  reserved: number
  available: number
}

interface OrderPage {
  data: { status: string; items: { variantId: string; quantity: number }[] }[]
  page: { nextCursor: string | null; hasMore: boolean }
}

const SOLD_STATUSES = ['paid', 'fulfilled', 'delivered']

async function levels(base: string, auth: object, variants: string[]): Promise<Level[]> {
  const out: Level[] = []
  for (const id of variants) {
    out.push((await call(base, 'GET', `/v1/admin/inventory/${id}`, undefined, auth)) as never)
  }
  return out
}

/** Units per variant over the orders that took stock, page by page. */
async function soldUnits(base: string, auth: object): Promise<Map<string, number>> {
  const sold = new Map<string, number>()
  for (const status of SOLD_STATUSES) {
    let cursor: string | null = null
    do {
      const query: string = `status=${status}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
      const page = (await call(base, 'GET', `/v1/admin/orders?${query}`, undefined, auth)) as never
      const { data, page: info } = page as OrderPage
      for (const order of data) {
        for (const item of order.items) {
          sold.set(item.variantId, (sold.get(item.variantId) ?? 0) + item.quantity)
        }
      }
      cursor = info.hasMore ? info.nextCursor : null
    } while (cursor)
  }
  return sold
}

/**
 * Waits (bounded) until no unit is held any more, the checkouts still in flight when the load
 * stopped having settled, then checks the books.
 */
export async function checkStock(
  base: string,
  variants: string[],
  waitMs = 30_000,
): Promise<StockCheck> {
  const login = await call(base, 'POST', '/v1/auth/login', ADMIN)
  const auth = { authorization: `Bearer ${String(login.accessToken)}` }
  const deadline = Date.now() + waitMs
  let current = await levels(base, auth, variants)
  while (current.some((l) => l.reserved > 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    current = await levels(base, auth, variants)
  }
  const sold = await soldUnits(base, auth)
  const problems: string[] = []
  let oversell = 0
  for (const level of current) {
    const units = sold.get(level.variantId) ?? 0
    const taken = INITIAL_STOCK - level.onHand
    oversell += Math.max(0, units - taken) + Math.max(0, -level.onHand, -level.available)
    if (level.onHand + units !== INITIAL_STOCK) {
      problems.push(
        `${level.variantId}: on hand ${level.onHand} + sold ${units} ≠ ${INITIAL_STOCK}`,
      )
    }
    if (level.reserved < 0 || level.onHand < 0 || level.available < 0) {
      problems.push(`${level.variantId}: on hand ${level.onHand}, reserved ${level.reserved}`)
    }
  }
  const taken = current.reduce((sum, l) => sum + INITIAL_STOCK - l.onHand, 0)
  const soldTotal = variants.reduce((sum, id) => sum + (sold.get(id) ?? 0), 0)
  if (soldTotal !== taken) problems.unshift(`sold ${soldTotal} units, stock gave up ${taken}`)
  return {
    variants: variants.length,
    taken,
    sold: soldTotal,
    reserved: current.reduce((sum, l) => sum + l.reserved, 0),
    oversell,
    ok: problems.length === 0,
    detail: problems.slice(0, 5).join('; '),
  }
}
