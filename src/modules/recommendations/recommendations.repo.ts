import { sql, type Kysely, type Transaction } from 'kysely'
import type { RecommendationsTables } from './recommendations.tables.js'

export type Db = Kysely<RecommendationsTables> | Transaction<RecommendationsTables>

/**
 * Counts one paid order: +1 for each of its products, and +1 for each ordered pair of its
 * `paired` products (both directions). Atomic upserts, so concurrent orders add up; rows go in key
 * order, so two transactions touching the same products lock them in the same order.
 */
export async function countOrder(
  trx: Db,
  productIds: readonly string[],
  paired: readonly string[],
): Promise<void> {
  const products = [...new Set(productIds)].sort()
  if (products.length === 0) return
  await trx
    .insertInto('recommendations.product_orders')
    .values(products.map((product_id) => ({ product_id, orders: 1 })))
    .onConflict((oc) =>
      oc
        .column('product_id')
        .doUpdateSet({ orders: sql`recommendations.product_orders.orders + 1` }),
    )
    .execute()
  const pairs = orderedPairs(paired)
  if (pairs.length === 0) return
  await trx
    .insertInto('recommendations.product_pair')
    .values(pairs.map(([product_id, other_id]) => ({ product_id, other_id, orders: 1 })))
    .onConflict((oc) =>
      oc
        .columns(['product_id', 'other_id'])
        .doUpdateSet({ orders: sql`recommendations.product_pair.orders + 1` }),
    )
    .execute()
}

/** Every (a, b) with a ≠ b over the distinct ids, sorted by a then b. */
function orderedPairs(ids: readonly string[]): [string, string][] {
  const unique = [...new Set(ids)].sort()
  return unique.flatMap((a) => unique.filter((b) => b !== a).map((b): [string, string] => [a, b]))
}

export interface ScoredCandidate {
  id: string
  together: number
  score: number
}

/**
 * The products bought with `productId`, best first: pairs seen in at least `minSupport` orders
 * before the rest, each group by cosine similarity of the two products' order sets,
 * co(a, b) / √(n(a) · n(b)), then by raw count. One range of the pair table's primary key.
 */
export async function boughtTogether(
  db: Db,
  productId: string,
  minSupport: number,
  limit: number,
): Promise<ScoredCandidate[]> {
  const { rows } = await sql<ScoredCandidate>`
    select pp.other_id as id, pp.orders as together,
      pp.orders / sqrt(a.orders::float8 * b.orders::float8) as score
    from recommendations.product_pair pp
    join recommendations.product_orders a on a.product_id = pp.product_id
    join recommendations.product_orders b on b.product_id = pp.other_id
    where pp.product_id = ${productId}
    order by (pp.orders >= ${minSupport}) desc, score desc, pp.orders desc, pp.other_id
    limit ${limit}`.execute(db)
  return rows.map((r) => ({ id: r.id, together: Number(r.together), score: Number(r.score) }))
}
