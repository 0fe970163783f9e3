import { AppError } from '../../platform/errors.js'

export const OrderErrors = {
  /** Also the answer for another customer's order, or a guest order without its token. */
  notFound: (orderId: string) =>
    new AppError({
      kind: 'not_found',
      code: 'order_not_found',
      title: 'Order not found',
      detail: `No order ${orderId} for this caller.`,
    }),
  paymentPending: (orderId: string) =>
    new AppError({
      kind: 'conflict',
      code: 'order_payment_pending',
      title: 'Payment still pending',
      detail: `Order ${orderId} is still awaiting its payment; try again once it is settled.`,
    }),
  nothingToRefund: (left: number) =>
    new AppError({
      kind: 'conflict',
      code: 'refund_exceeds_payment',
      title: 'Refund exceeds what is left',
      detail: `At most ${left} minor units are left to refund on this order.`,
      errors: [{ path: '/body/amount', message: `must be at most ${left}` }],
    }),
  refundInProgress: (orderId: string) =>
    new AppError({
      kind: 'conflict',
      code: 'order_cancellation_in_progress',
      title: 'Cancellation in progress',
      detail: `Order ${orderId} is being cancelled and refunded.`,
    }),
  tooManyStreams: (max: number) =>
    new AppError({
      kind: 'rate_limited',
      code: 'too_many_streams',
      title: 'Too many open streams',
      detail: `At most ${max} event streams of one order may be open per caller; close one first.`,
    }),
}
