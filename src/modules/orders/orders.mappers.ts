import { money } from '../../shared/money.js'
import type { Order } from './orders.schema.js'
import {
  applyOrderEvent,
  type OrderState,
  type OrderStatus,
  type RecordedOrderEvent,
} from './orders.state.js'

/** The order as its owner sees it, or, with `staff`, with notes and the data of each change. */
export function toOrder(state: OrderState, history: RecordedOrderEvent[], staff: boolean): Order {
  const m = (amount: number) => money(amount, state.currency)
  const statuses = statusesAfter(history)
  const entries = staff ? history : history.filter((h) => h.event.type !== 'order.note_added')
  return {
    id: state.id,
    number: state.number,
    status: state.status,
    email: state.email,
    currency: state.currency,
    items: state.items.map((i) => ({ ...i, unitPrice: m(i.unitPrice), lineTotal: m(i.lineTotal) })),
    totals: {
      subtotal: m(state.totals.subtotal),
      discount: m(state.totals.discount),
      shipping: m(state.totals.shipping),
      tax: m(state.totals.tax),
      total: m(state.totals.total),
    },
    shippingAddress: state.shippingAddress,
    shippingMethod: state.shippingMethod,
    couponCode: state.couponCode,
    payment: {
      method: state.payment.method,
      status: state.payment.status,
      amount: m(state.payment.amount),
      refunded: m(state.payment.refunded),
    },
    fulfillments: state.fulfillments,
    cancelReason: state.cancelReason,
    history: entries.map((h) => ({
      type: h.event.type,
      at: h.at,
      status: statuses.get(h.seq)!,
      ...(staff ? { data: h.event.data as Record<string, unknown> } : {}),
    })),
    ...(staff ? { notes: state.notes, customerId: state.customerId } : {}),
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
  }
}

/** The status after each entry, by folding the history once. */
export function statusesAfter(history: RecordedOrderEvent[]): Map<number, OrderStatus> {
  const out = new Map<number, OrderStatus>()
  let state: OrderState | undefined
  for (const h of history) {
    state = applyOrderEvent(state, h)
    out.set(h.seq, state.status)
  }
  return out
}
