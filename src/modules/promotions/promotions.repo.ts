import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { Promotion } from './promotions.rules.js'
import type { PromotionsTables, PromotionTable, RedemptionTable } from './promotions.tables.js'

export type PromotionsDb = Kysely<PromotionsTables> | Transaction<PromotionsTables>
export type RedemptionRow = Selectable<RedemptionTable>
type PromotionRow = Selectable<PromotionTable>

const COLUMNS = [
  'id',
  'code',
  'kind',
  'description',
  'percent_off_bps',
  'amount_off',
  'minimum_subtotal',
  'starts_at',
  'ends_at',
  'usage_limit',
  'per_customer_limit',
  'times_used',
  'active',
  'version',
  'created_at',
  'updated_at',
] as const

const REDEMPTION_COLUMNS = [
  'id',
  'promotion_id',
  'code',
  'order_id',
  'customer_key',
  'customer_id',
  'email',
  'currency',
  'discount',
  'free_shipping',
  'created_at',
] as const

function toPromotion(row: PromotionRow): Promotion {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    description: row.description,
    percentOffBps: row.percent_off_bps,
    amountOff: row.amount_off,
    minimumSubtotal: row.minimum_subtotal,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    usageLimit: row.usage_limit,
    perCustomerLimit: row.per_customer_limit,
    timesUsed: row.times_used,
    active: row.active,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export type PromotionValues = Omit<
  Insertable<PromotionTable>,
  'id' | 'code' | 'times_used' | 'version' | 'created_at' | 'updated_at'
>

export async function insertPromotion(
  db: PromotionsDb,
  values: PromotionValues & { id: string; code: string },
): Promise<Promotion> {
  const row = await db
    .insertInto('promotions.promotion')
    .values(values)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
  return toPromotion(row)
}

export async function findPromotion(db: PromotionsDb, id: string): Promise<Promotion | undefined> {
  const row = await db
    .selectFrom('promotions.promotion')
    .select(COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toPromotion(row)
}

export async function findPromotionByCode(
  db: PromotionsDb,
  code: string,
): Promise<Promotion | undefined> {
  const row = await db
    .selectFrom('promotions.promotion')
    .select(COLUMNS)
    .where('code', '=', code)
    .executeTakeFirst()
  return row && toPromotion(row)
}

/** Locks the promotion row: redemptions of one promotion queue here, so limits are counted once. */
export async function lockPromotionByCode(
  trx: PromotionsDb,
  code: string,
): Promise<Promotion | undefined> {
  const row = await trx
    .selectFrom('promotions.promotion')
    .select(COLUMNS)
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst()
  return row && toPromotion(row)
}

export async function lockPromotion(trx: PromotionsDb, id: string): Promise<void> {
  await trx
    .selectFrom('promotions.promotion')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .execute()
}

/** Newest first, by id (time-ordered, so the cursor is exact). */
export async function listPromotions(
  db: PromotionsDb,
  beforeId: string | undefined,
  limit: number,
): Promise<Promotion[]> {
  let query = db.selectFrom('promotions.promotion').select(COLUMNS)
  if (beforeId) query = query.where('id', '<', beforeId)
  const rows = await query.orderBy('id', 'desc').limit(limit).execute()
  return rows.map(toPromotion)
}

/** Undefined when no row matched (gone, or another version than `expectedVersion`). */
export async function updatePromotion(
  db: PromotionsDb,
  id: string,
  values: PromotionValues,
  expectedVersion: number,
): Promise<Promotion | undefined> {
  const row = await db
    .updateTable('promotions.promotion')
    .set({ ...values, version: sql`version + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returning(COLUMNS)
    .executeTakeFirst()
  return row && toPromotion(row)
}

export async function deletePromotion(db: PromotionsDb, id: string): Promise<boolean> {
  const result = await db.deleteFrom('promotions.promotion').where('id', '=', id).executeTakeFirst()
  return result.numDeletedRows > 0n
}

/**
 * Counts one use if the total limit allows it, in one conditional statement: even without the
 * row lock taken before, two checkouts could never both take the last use.
 */
export async function countUse(trx: PromotionsDb, id: string): Promise<boolean> {
  const result = await trx
    .updateTable('promotions.promotion')
    .set({ times_used: sql`times_used + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('usage_limit', 'is', null), eb('times_used', '<', eb.ref('usage_limit'))]),
    )
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function giveUseBack(trx: PromotionsDb, id: string): Promise<void> {
  await trx
    .updateTable('promotions.promotion')
    .set({ times_used: sql`greatest(times_used - 1, 0)`, updated_at: new Date() })
    .where('id', '=', id)
    .execute()
}

export async function countCustomerRedemptions(
  db: PromotionsDb,
  promotionId: string,
  customerKey: string,
): Promise<number> {
  const row = await db
    .selectFrom('promotions.redemption')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('promotion_id', '=', promotionId)
    .where('customer_key', '=', customerKey)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function hasRedemptions(db: PromotionsDb, promotionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('promotions.redemption')
    .select('id')
    .where('promotion_id', '=', promotionId)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

export async function findRedemptionByOrder(
  db: PromotionsDb,
  orderId: string,
): Promise<RedemptionRow | undefined> {
  return db
    .selectFrom('promotions.redemption')
    .select(REDEMPTION_COLUMNS)
    .where('order_id', '=', orderId)
    .executeTakeFirst()
}

export async function insertRedemption(
  trx: PromotionsDb,
  row: Insertable<RedemptionTable>,
): Promise<void> {
  await trx.insertInto('promotions.redemption').values(row).execute()
}

export async function deleteRedemption(
  trx: PromotionsDb,
  orderId: string,
): Promise<RedemptionRow | undefined> {
  return trx
    .deleteFrom('promotions.redemption')
    .where('order_id', '=', orderId)
    .returning(REDEMPTION_COLUMNS)
    .executeTakeFirst()
}
