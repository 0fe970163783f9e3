import type { NewEvent } from '../../platform/events/types.js'
import type { Money } from '../../shared/money.js'
import type { OrderEvent, OrderState, OrderStatus } from './orders.state.js'

/** The public order events (webhooks, notifications, SSE): one per history entry but notes. */
export const OrderEvents = {
  CREATED: 'order.created',
  PAID: 'order.paid',
  CANCELLED: 'order.cancelled',
  FULFILLED: 'order.fulfilled',
  DELIVERED: 'order.delivered',
  REFUNDED: 'order.refunded',
} as const

export interface OrderEventPayload extends Record<string, unknown> {
  orderId: string
  number: string
  status: OrderStatus
  email: string
  customerId: string | null
  total: Money
  /** Position in the order's history: SSE clients resume from it. */
  version: number
  /** What changed, e.g. the tracking number of a fulfillment or a refund's amount. */
  change: Record<string, unknown>
}

/** The outbox event for a history entry; notes stay internal. */
export function orderDomainEvent(
  state: OrderState,
  event: OrderEvent,
): NewEvent<OrderEventPayload> | undefined {
  if (event.type === 'order.note_added') return undefined
  const change: Record<string, unknown> =
    event.type === 'order.created' ? { items: event.data.items.length } : { ...event.data }
  return {
    type: event.type,
    aggregateType: 'order',
    aggregateId: state.id,
    payload: {
      orderId: state.id,
      number: state.number,
      status: state.status,
      email: state.email,
      customerId: state.customerId,
      total: { amount: state.totals.total, currency: state.currency },
      version: state.version,
      change,
    },
  }
}
