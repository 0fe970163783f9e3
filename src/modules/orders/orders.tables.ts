import type { ColumnType, Generated } from 'kysely'
import type { OrderEvent, OrderState, OrderStatus } from './orders.state.js'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T> = ColumnType<T, string, string>

/** The projection: one row per order, `state` being the fold of its history. */
export interface OrderTable {
  id: string
  number: string
  status: OrderStatus
  customer_id: string | null
  email: string
  /** SHA-256 (hex) of a guest's `X-Order-Token`; null for a customer's order. */
  token_hash: string | null
  currency: string
  total: ColumnType<number, number, number>
  state: Json<OrderState>
  version: number
  created_at: Timestamp
  updated_at: Timestamp
}

/** The history: append-only, the source the projection is rebuilt from. */
export interface OrderEventTable {
  order_id: string
  seq: number
  type: OrderEvent['type']
  data: Json<OrderEvent['data']>
  /** Who made the change: a user id, `customer`, `system`. */
  actor: string | null
  created_at: Timestamp
}

export type RefundStatus = 'pending' | 'succeeded' | 'failed'

/**
 * A refund in flight: written before the provider is called, so a crash between the call and the
 * record leaves a pending row the recovery job finishes with the same idempotency key.
 */
export interface RefundTable {
  id: string
  order_id: string
  kind: 'refund' | 'cancel'
  amount: ColumnType<number, number, number>
  reason: string | null
  status: ColumnType<RefundStatus, RefundStatus | undefined, RefundStatus>
  actor: string | null
  attempts: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface OrdersTables {
  'orders.order': OrderTable
  'orders.order_event': OrderEventTable
  'orders.refund': RefundTable
}
