import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export type CartStatus = 'open' | 'merged' | 'ordered'

export interface ShippingAddressData {
  name?: string
  line1?: string
  line2?: string
  city?: string
  postalCode?: string
  country: string
}

export interface CartTable {
  id: string
  /** The owner; null for a guest cart, which then has a token hash. */
  customer_id: string | null
  /** SHA-256 of the guest's `X-Cart-Token`; null once the cart belongs to a customer. */
  token_hash: string | null
  currency: string
  status: CartStatus
  email: string | null
  shipping_address: ColumnType<ShippingAddressData | null, string | null, string | null>
  shipping_method_id: string | null
  /** A promotion's code (normalized upper-case); re-evaluated on every read. */
  /** When the abandoned-cart reminder was sent (one per cart). */
  reminded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  coupon_code: string | null
  /** A guest agreed to an abandoned-cart reminder at `email`; reset when the email changes. */
  reminder_consent: Generated<boolean>
  /** Bumped on every write of the cart or its lines: what checkout closes the cart at. */
  version: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface CartItemTable {
  id: string
  cart_id: string
  variant_id: string
  quantity: number
  /** The unit price when the line was added or last changed; the cart re-prices on every read. */
  unit_price_seen: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

/** One reminder's unsubscribe token (SHA-256), and the address it unsubscribes. */
export interface ReminderUnsubscribeTable {
  token_hash: string
  email: string
  created_at: Generated<Date>
}

/** Addresses that unsubscribed from abandoned-cart reminders. */
export interface ReminderOptOutTable {
  email: string
  created_at: Generated<Date>
}

/** The carts module's tables, and only those. */
export interface CartsTables {
  'carts.cart': CartTable
  'carts.cart_item': CartItemTable
  'carts.reminder_unsubscribe': ReminderUnsubscribeTable
  'carts.reminder_opt_out': ReminderOptOutTable
}
