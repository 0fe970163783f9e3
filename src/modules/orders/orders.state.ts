import { AppError } from '../../platform/errors.js'

export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'fulfilled',
  'delivered',
  'cancelled',
  'refunded',
] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

export interface OrderLine {
  variantId: string
  productId: string | null
  sku: string | null
  title: string | null
  productTitle: string | null
  quantity: number
  unitPrice: number
  lineTotal: number
}

export interface OrderAddress {
  name: string
  line1: string
  line2?: string | undefined
  city: string
  postalCode: string
  country: string
}

export interface OrderTotals {
  subtotal: number
  discount: number
  shipping: number
  tax: number
  total: number
}

export type PaymentState =
  'pending' | 'paid' | 'declined' | 'voided' | 'refunded' | 'partially_refunded'

export interface OrderPayment {
  method: string
  provider: string
  status: PaymentState
  reference: string | null
  amount: number
  refunded: number
}

export interface Fulfillment {
  id: string
  trackingNumber: string | null
  carrier: string | null
  at: string
}

export interface OrderNote {
  id: string
  text: string
  author: string | null
  at: string
}

/** What `order.created` carries: everything the order starts with. */
export interface OrderCreatedData {
  number: string
  customerId: string | null
  email: string
  currency: string
  cartId: string | null
  items: OrderLine[]
  totals: OrderTotals
  shippingAddress: OrderAddress
  shippingMethod: { id: string; name: string } | null
  couponCode: string | null
  payment: { method: string; provider: string; amount: number }
}

/** An order's state: the fold of its history, and exactly what the `orders.order` row holds. */
export interface OrderState extends Omit<OrderCreatedData, 'payment'> {
  id: string
  status: OrderStatus
  payment: OrderPayment
  fulfillments: Fulfillment[]
  notes: OrderNote[]
  cancelReason: string | null
  version: number
  createdAt: string
  updatedAt: string
}

/** One entry of an order's history. `data` is what the change needs to be replayed. */
export type OrderEvent =
  | { type: 'order.created'; data: OrderCreatedData }
  | { type: 'order.paid'; data: { reference: string } }
  | {
      type: 'order.cancelled'
      data: { reason: string; refunded: number; paymentStatus: PaymentState }
    }
  | { type: 'order.fulfilled'; data: Fulfillment }
  | { type: 'order.delivered'; data: Record<string, never> }
  | { type: 'order.refunded'; data: { refundId: string; amount: number; reason: string | null } }
  | { type: 'order.note_added'; data: OrderNote }

export type OrderEventType = OrderEvent['type']

export interface RecordedOrderEvent<E extends OrderEvent = OrderEvent> {
  orderId: string
  seq: number
  at: string
  event: E
}

/** The statuses each change may start from: the state machine, in one table. */
export const ALLOWED_FROM: Readonly<
  Record<Exclude<OrderEventType, 'order.created'>, readonly OrderStatus[]>
> = {
  'order.paid': ['pending_payment'],
  'order.cancelled': ['pending_payment', 'paid'],
  'order.fulfilled': ['paid'],
  'order.delivered': ['fulfilled'],
  'order.refunded': ['paid', 'fulfilled', 'delivered'],
  'order.note_added': ORDER_STATUSES,
}

export const invalidTransition = (status: OrderStatus, type: string) =>
  new AppError({
    kind: 'conflict',
    code: 'invalid_order_transition',
    title: 'Not allowed in this status',
    detail: `An order that is ${status} cannot take ${type}.`,
    extra: { status },
  })

/** Whether `type` may apply to an order in `status`. */
export function canApply(status: OrderStatus, type: OrderEventType): boolean {
  return type !== 'order.created' && ALLOWED_FROM[type].includes(status)
}

function refundStatus(payment: OrderPayment, refunded: number): PaymentState {
  if (refunded === 0) return payment.status
  return refunded >= payment.amount ? 'refunded' : 'partially_refunded'
}

/**
 * The one reducer: applies a recorded event to the state before it. Guards run here, so a write
 * and a rebuild from history can never disagree about what is allowed.
 */
export function applyOrderEvent(
  state: OrderState | undefined,
  recorded: RecordedOrderEvent,
): OrderState {
  const { event, at } = recorded
  if (event.type === 'order.created') {
    if (state) throw invalidTransition(state.status, event.type)
    const { payment, ...rest } = event.data
    return {
      ...rest,
      id: recorded.orderId,
      status: 'pending_payment',
      payment: { ...payment, status: 'pending', reference: null, refunded: 0 },
      fulfillments: [],
      notes: [],
      cancelReason: null,
      version: recorded.seq,
      createdAt: at,
      updatedAt: at,
    }
  }
  if (!state) throw new Error(`order ${recorded.orderId}: ${event.type} before order.created`)
  if (!canApply(state.status, event.type)) throw invalidTransition(state.status, event.type)
  const next: OrderState = { ...state, version: recorded.seq, updatedAt: at }
  switch (event.type) {
    case 'order.paid':
      return {
        ...next,
        status: 'paid',
        payment: { ...state.payment, status: 'paid', reference: event.data.reference },
      }
    case 'order.cancelled':
      return {
        ...next,
        status: 'cancelled',
        cancelReason: event.data.reason,
        payment: {
          ...state.payment,
          status: event.data.paymentStatus,
          refunded: state.payment.refunded + event.data.refunded,
        },
      }
    case 'order.fulfilled':
      return { ...next, status: 'fulfilled', fulfillments: [...state.fulfillments, event.data] }
    case 'order.delivered':
      return { ...next, status: 'delivered' }
    case 'order.refunded': {
      const refunded = state.payment.refunded + event.data.amount
      const full = refunded >= state.payment.amount
      return {
        ...next,
        status: full ? 'refunded' : state.status,
        payment: { ...state.payment, refunded, status: refundStatus(state.payment, refunded) },
      }
    }
    case 'order.note_added':
      return { ...next, notes: [...state.notes, event.data] }
  }
}

/** Folds a whole history: how the projection is rebuilt. */
export function replayOrder(history: RecordedOrderEvent[]): OrderState | undefined {
  return history.reduce<OrderState | undefined>((state, e) => applyOrderEvent(state, e), undefined)
}
