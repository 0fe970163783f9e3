import { sql, type Selectable } from 'kysely'
import type { RatingChangedPayload } from './reviews.events.js'
import type { ReviewsDb } from './reviews.repo.js'
import type { ProductRatingTable } from './reviews.tables.js'

type RatingRow = Selectable<ProductRatingTable>

/**
 * Counts one review of `stars` into (delta 1) or out of (delta -1) a product's published
 * summary with atomic increments: concurrent moderations of one product serialize on its row and
 * each adds its own, so the summary stays exact without being read first. The row lock is held
 * to the commit, so versions reach the outbox in the order they were taken.
 */
export async function adjustProductRating(
  trx: ReviewsDb,
  productId: string,
  stars: number,
  delta: 1 | -1,
): Promise<RatingChangedPayload> {
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) throw new Error(`bad stars ${stars}`)
  // Inserting the zero row first (not an upsert with the delta) keeps the check constraint
  // satisfied by the proposed row even for a decrement.
  await trx
    .insertInto('reviews.product_rating')
    .values({
      product_id: productId,
      count: 0,
      sum: 0,
      stars_1: 0,
      stars_2: 0,
      stars_3: 0,
      stars_4: 0,
      stars_5: 0,
      version: 0,
    })
    .onConflict((oc) => oc.column('product_id').doNothing())
    .execute()
  const column = sql.ref(`stars_${stars}`)
  const { rows } = await sql<RatingRow>`
    update reviews.product_rating set
      count = count + ${delta},
      sum = sum + ${delta * stars},
      ${column} = ${column} + ${delta},
      version = version + 1
    where product_id = ${productId}
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
