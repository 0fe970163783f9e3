import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type OptionalTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>

export type PromotionKind = 'percentage' | 'fixed_amount' | 'free_shipping'

/** Minor units per ISO 4217 currency code, e.g. `{ "EUR": 500 }`. */
export type AmountsByCurrency = Record<string, number>

type Amounts = ColumnType<AmountsByCurrency | null, string | null, string | null>

export interface PromotionTable {
  id: string
  /** Upper-case, trimmed: codes are case-insensitive. */
  code: string
  kind: PromotionKind
  description: string | null
  /** Percentage promotions: basis points (1000 = 10 %). */
  percent_off_bps: number | null
  /** Fixed-amount promotions: the amount off per currency. */
  amount_off: Amounts
  /** When set, the promotion applies only in these currencies and from these subtotals. */
  minimum_subtotal: Amounts
  starts_at: OptionalTimestamp
  ends_at: OptionalTimestamp
  usage_limit: number | null
  per_customer_limit: number | null
  times_used: Generated<number>
  active: boolean
  version: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

/** One use of a promotion by one order; deleted when the use is given back. */
export interface RedemptionTable {
  id: string
  promotion_id: string
  code: string
  order_id: string
  /** `customer:<id>` when signed in, else `email:<lower-cased email>`: what per-customer limits count. */
  customer_key: string
  customer_id: string | null
  email: string
  currency: string
  discount: number
  free_shipping: boolean
  created_at: Timestamp
}

/** The promotions module's tables, and only those. */
export interface PromotionsTables {
  'promotions.promotion': PromotionTable
  'promotions.redemption': RedemptionTable
}
