import { sql, type Selectable } from 'kysely'
import type { RatingChangedPayload } from './reviews.events.js'
import type { ReviewsDb } from './reviews.repo.js'
import type { ProductRatingTable } from './reviews.tables.js'

type RatingRow = Selectable<ProductRatingTable>

/**
 * Counts one review of `stars` into (delta 1) or out of (delta -1) a product's published
 * summary, as one atomic upsert: concurrent moderations of one product serialize on its row and
 * each adds its own increment, so the summary stays exact without reading it first. The row
 * lock is held to the commit, so versions reach the outbox in the order they were taken.
 */
export async function adjustProductRating(
  trx: ReviewsDb,
  productId: string,
  stars: number,
  delta: 1 | -1,
): Promise<RatingChangedPayload> {
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) throw new Error(`bad stars ${stars}`)
  const column = sql.ref(`stars_${stars}`)
  const { rows } = await sql<RatingRow>`
    insert into reviews.product_rating as r (product_id, count, sum, ${column}, version)
    values (${productId}, ${delta}, ${delta * stars}, ${delta}, 1)
    on conflict (product_id) do update set
      count = r.count + ${delta},
      sum = r.sum + ${delta * stars},
      ${column} = r.${column} + ${delta},
      version = r.version + 1
    returning product_id, count, sum, stars_1, stars_2, stars_3, stars_4, stars_5, version`.execute(
    trx,
  )
  return toRating(rows[0]!)
}

export function toRating(row: RatingRow): RatingChangedPayload {
  const count = Number(row.count)
  return {
    productId: row.product_id,
    average: count === 0 ? null : Math.round((Number(row.sum) * 100) / count) / 100,
    count,
    distribution: {
      '1': Number(row.stars_1),
      '2': Number(row.stars_2),
      '3': Number(row.stars_3),
      '4': Number(row.stars_4),
      '5': Number(row.stars_5),
    },
    version: Number(row.version),
  }
}
