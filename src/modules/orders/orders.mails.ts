import type { Logger } from 'pino'
import type { DomainEvent } from '../../platform/events/types.js'
import { renderMail, type RenderedMail } from '../../platform/mail/layout.js'
import type { Mailer } from '../../platform/mail/mailer.js'
import type { Subscription } from '../../platform/module.js'
import { OrderEvents, type OrderEventPayload } from './orders.events.js'
import type { OrderState } from './orders.state.js'

/** Minor units as a plain amount with its code: `12.50 EUR` (currencies here have 2 decimals). */
export function formatAmount(amount: number, currency: string): string {
  const sign = amount < 0 ? '-' : ''
  const abs = Math.abs(amount)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} ${currency}`
}

export interface OrderMailLinks {
  storefrontUrl: string
  brand: string
}

const orderLink = (links: OrderMailLinks, order: OrderState) =>
  `${links.storefrontUrl}/orders/${encodeURIComponent(order.id)}`

/** The receipt: every line and the totals, as charged. */
export function confirmationMail(order: OrderState, links: OrderMailLinks): RenderedMail {
  const f = (amount: number) => formatAmount(amount, order.currency)
  const t = order.totals
  return renderMail({
    brand: links.brand,
    subject: `Order ${order.number} confirmed`,
    greeting: `Hello ${order.shippingAddress.name},`,
    paragraphs: [
      `Thank you for your order ${order.number}. We have received your payment.`,
      ...order.items.map(
        (i) =>
          `${i.quantity} x ${[i.productTitle, i.title].filter(Boolean).join(' - ') || i.sku || i.variantId}` +
          ` at ${f(i.unitPrice)}: ${f(i.lineTotal)}`,
      ),
      `Subtotal ${f(t.subtotal)} | Discount ${f(t.discount)} | Shipping ${f(t.shipping)} | ` +
        `Tax ${f(t.tax)} | Total ${f(t.total)}`,
    ],
    action: { label: 'View your order', url: orderLink(links, order) },
    footer: [`Ships to ${order.shippingAddress.city}, ${order.shippingAddress.country}.`],
  })
}

export function shippedMail(order: OrderState, links: OrderMailLinks): RenderedMail {
  const last = order.fulfillments[order.fulfillments.length - 1]
  return renderMail({
    brand: links.brand,
    subject: `Order ${order.number} has shipped`,
    greeting: `Hello ${order.shippingAddress.name},`,
    paragraphs: [
      `Your order ${order.number} is on its way.`,
      ...(last?.trackingNumber
        ? [`Tracking number: ${last.trackingNumber}${last.carrier ? ` (${last.carrier})` : ''}`]
        : []),
    ],
    action: { label: 'View your order', url: orderLink(links, order) },
  })
}

export function refundMail(order: OrderState, amount: number, links: OrderMailLinks): RenderedMail {
  return renderMail({
    brand: links.brand,
    subject: `Refund for order ${order.number}`,
    greeting: `Hello ${order.shippingAddress.name},`,
    paragraphs: [
      `We have refunded ${formatAmount(amount, order.currency)} for order ${order.number}.`,
      order.status === 'cancelled' ? 'Your order is cancelled.' : '',
    ].filter(Boolean),
    action: { label: 'View your order', url: orderLink(links, order) },
    footer: ['It can take a few days to show on your statement.'],
  })
}

/** The customer mails, each a consumer of one order event (idempotent by event id). */
export function orderMailSubscriptions(deps: {
  mailer: Mailer
  links: OrderMailLinks
  logger: Logger
  getState: (orderId: string) => Promise<OrderState | undefined>
}): Subscription[] {
  const handler =
    (render: (order: OrderState, event: DomainEvent) => RenderedMail | undefined) =>
    async (event: DomainEvent) => {
      const { orderId } = event.payload as OrderEventPayload
      const order = await deps.getState(orderId)
      const mail = order && render(order, event)
      if (!order || !mail) return
      const sent = await deps.mailer.send({ to: order.email, ...mail })
      deps.logger.info({ orderId, type: event.type, messageId: sent.messageId }, 'order mail sent')
    }
  const refunded = (order: OrderState, event: DomainEvent) => {
    const change = (event.payload as OrderEventPayload).change
    const amount = Number(change.amount ?? change.refunded ?? 0)
    return amount > 0 ? refundMail(order, amount, deps.links) : undefined
  }
  return [
    {
      type: OrderEvents.PAID,
      consumer: 'orders.confirmation-mail',
      handler: handler((o) => confirmationMail(o, deps.links)),
    },
    {
      type: OrderEvents.FULFILLED,
      consumer: 'orders.shipped-mail',
      handler: handler((o) => shippedMail(o, deps.links)),
    },
    { type: OrderEvents.REFUNDED, consumer: 'orders.refund-mail', handler: handler(refunded) },
    { type: OrderEvents.CANCELLED, consumer: 'orders.cancel-mail', handler: handler(refunded) },
  ]
}
