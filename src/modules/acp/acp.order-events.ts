import type { DomainEvent } from '../../platform/events/types.js'
import type { Subscription } from '../../platform/module.js'
import {
  OrderEvents,
  type Order,
  type OrderEventPayload,
  type OrderSummary,
} from '../orders/index.js'
import type { ManagedTarget, WebhookDeliveryService } from '../webhooks/index.js'
import { toAcpOrder } from './acp.mappers.js'
import { findSessionByCart, type AcpDb } from './acp.repo.js'

export interface OrderEventsDeps {
  db: AcpDb
  orders: {
    summary(orderId: string): Promise<OrderSummary | undefined>
    ownerView(orderId: string): Promise<Order>
  }
  deliveries: Pick<WebhookDeliveryService, 'deliverTo'>
  orderUrl: (orderId: string) => string
  /** The agent platform's receiver; without it nothing is sent. */
  webhook: { url: string; secret: string } | undefined
}

const CONSUMER = 'acp.order-webhooks'

/**
 * The webhook spec's order events for orders placed through a checkout session: `order_create`
 * for `order.created`, `order_update` for every later change, each carrying the whole order as it
 * is when sent. They go out through the webhooks module (signed with `Merchant-Signature`, retried,
 * logged), once per order event: a redelivered event sends nothing new.
 */
export function orderEventSubscriptions(deps: OrderEventsDeps): Subscription[] {
  const { webhook } = deps
  if (!webhook) return []
  const target: ManagedTarget = {
    owner: 'acp',
    url: webhook.url,
    secret: webhook.secret,
    scheme: 'acp',
    description: "The agent platform's order events (Agentic Commerce Protocol)",
  }
  async function handler(event: DomainEvent): Promise<void> {
    const { orderId } = event.payload as OrderEventPayload
    const cartId = (await deps.orders.summary(orderId))?.cartId
    const session = cartId ? await findSessionByCart(deps.db, cartId) : undefined
    if (!session) return
    const order = await deps.orders.ownerView(orderId)
    const type = event.type === OrderEvents.CREATED ? 'order_create' : 'order_update'
    const body = JSON.stringify({ type, data: toAcpOrder(order, session.id, deps.orderUrl) })
    await deps.deliveries.deliverTo(target, { id: event.id, type: `acp.${type}` }, body)
  }
  return Object.values(OrderEvents).map((type) => ({ type, consumer: CONSUMER, handler }))
}
