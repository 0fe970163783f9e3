import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface WishlistTable {
  id: string
  customer_id: string
  notify_back_in_stock: Generated<boolean>
  notify_price_drop: Generated<boolean>
  share_token_hash: string | null
  shared_at: Date | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ItemTable {
  id: string
  wishlist_id: string
  product_id: string
  variant_id: string | null
  noticed_amount: ColumnType<string | null, number | null, number | null>
  noticed_currency: string | null
  in_stock: Generated<boolean>
  created_at: Timestamp
}

export interface AlertUnsubscribeTable {
  token_hash: string
  wishlist_id: string
  kind: AlertKind
  created_at: Timestamp
}

export type AlertKind = 'back_in_stock' | 'price_drop'

/** The wishlists module's tables, and only those. */
export interface WishlistsTables {
  'wishlists.alert_unsubscribe': AlertUnsubscribeTable
  'wishlists.wishlist': WishlistTable
  'wishlists.item': ItemTable
}
