import type { OrderCaller, OrdersService, RefundRows } from '../modules/orders/index.js'
import type { RefundOrder } from './refund-order.js'

export interface CancelOrderDeps {
  orders: Pick<OrdersService, 'assertVisible' | 'getForCaller'>
  refunds: Pick<RefundRows, 'open'>
  refundOrder: Pick<RefundOrder, 'settle' | 'finish'>
}

/**
 * The customer cancels a paid, unfulfilled order: refunded in full, stock restored.
 *
 * 1. `orders.assertVisible`: the caller's own order, or a guest's with its token.
 * 2. `refunds.open` of kind `cancel` for all that is left, under the order's lock (a pending
 *    cancellation also stops fulfilment). Compensation: as in refund-order.
 * 3. refund-order's provider step (skipped when nothing is left to pay back) and its last
 *    transaction: order cancelled, `inventory.restock`, `promotions.releaseRedemption`.
 */
export function createCancelOrder(deps: CancelOrderDeps) {
  const { orders, refunds, refundOrder } = deps
  return {
    async cancel(caller: OrderCaller, orderId: string) {
      await orders.assertVisible(caller, orderId)
      const refund = await refunds.open(orderId, {
        kind: 'cancel',
        amount: undefined,
        reason: 'customer_request',
        actor: caller.customerId ?? 'guest',
      })
      if (refund.amount === 0) await refundOrder.finish(refund.id)
      else await refundOrder.settle(refund.id)
      return orders.getForCaller(caller, orderId)
    },
  }
}

export type CancelOrder = ReturnType<typeof createCancelOrder>
