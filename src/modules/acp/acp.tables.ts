import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T> = ColumnType<T | null, string | null, string | null>

export type SessionStatus = 'open' | 'completed' | 'canceled'

/** A problem the agent sent us that the cart cannot hold (an unknown item, a refused country). */
export interface StoredMessage {
  code: 'invalid' | 'not_found' | 'region_restricted' | 'payment_declined'
  param: string
  content: string
}

export interface CheckoutSessionTable {
  /** `cs_…` */
  id: string
  /** The API key that created it: only that key reaches the session. */
  api_key_id: string
  /** The guest cart holding the lines; the session is checked out through it. */
  cart_id: string
  /** The cart's guest token (it is how the carts module lets a caller in). */
  cart_token: string
  status: ColumnType<SessionStatus, SessionStatus | undefined, SessionStatus>
  /** The agent's `buyer` and `fulfillment_details`, as sent (ACP shapes). */
  buyer: Json<Record<string, unknown>>
  fulfillment_details: Json<Record<string, unknown>>
  messages: ColumnType<StoredMessage[], string | undefined, string>
  order_id: string | null
  created_at: Generated<Date>
  updated_at: Timestamp
}

export interface AcpTables {
  'acp.checkout_session': CheckoutSessionTable
}
