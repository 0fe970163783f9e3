import type { EndpointDisabledPayload } from '../webhooks/index.js'
import type { ReviewEventPayload } from '../reviews/index.js'
import type { OrderState } from '../orders/index.js'
import type { WishlistAlertPayload } from '../wishlists/index.js'
import type { TemplateValues } from './notifications.templates.js'

/** Minor units as a plain amount with its code: `12.50 EUR` (currencies here have 2 decimals). */
export function formatAmount(amount: number, currency: string): string {
  const sign = amount < 0 ? '-' : ''
  const abs = Math.abs(amount)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} ${currency}`
}

/** Storefront page links: `link('/orders/ord_1')` is `${STOREFRONT_URL}/orders/ord_1`. */
export type Link = (pathAndQuery: string) => string

const orderUrl = (link: Link, order: OrderState) => link(`/orders/${encodeURIComponent(order.id)}`)

/** The receipt: every line and the totals, as charged. */
export function orderConfirmationValues(order: OrderState, link: Link): TemplateValues {
  const f = (amount: number) => formatAmount(amount, order.currency)
  const t = order.totals
  return {
    name: order.shippingAddress.name,
    number: order.number,
    lines: order.items.map((i) => ({
      quantity: i.quantity,
      label: [i.productTitle, i.title].filter(Boolean).join(' - ') || i.sku || i.variantId,
      unitPrice: f(i.unitPrice),
      lineTotal: f(i.lineTotal),
    })),
    subtotal: f(t.subtotal),
    discount: f(t.discount),
    shipping: f(t.shipping),
    tax: f(t.tax),
    total: f(t.total),
    orderUrl: orderUrl(link, order),
    city: order.shippingAddress.city,
    country: order.shippingAddress.country,
  }
}

export function orderShippedValues(order: OrderState, link: Link): TemplateValues {
  const last = order.fulfillments[order.fulfillments.length - 1]
  return {
    name: order.shippingAddress.name,
    number: order.number,
    trackingNumber: last?.trackingNumber ?? null,
    carrier: last?.carrier ?? null,
    orderUrl: orderUrl(link, order),
  }
}

export function orderRefundValues(order: OrderState, amount: number, link: Link): TemplateValues {
  return {
    name: order.shippingAddress.name,
    number: order.number,
    amount: formatAmount(amount, order.currency),
    cancelled: order.status === 'cancelled',
    orderUrl: orderUrl(link, order),
  }
}

/** The storefront's unsubscribe page takes the token and POSTs it to `/v1/unsubscribe`. */
export function cartAbandonedValues(
  cartId: string,
  items: number,
  unsubscribeToken: string,
  link: Link,
): TemplateValues {
  return {
    items,
    single: items === 1,
    cartUrl: link(`/cart?cart=${encodeURIComponent(cartId)}`),
    unsubscribeUrl: link(`/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`),
  }
}

/** The account pages take the token as a query parameter; the mail also shows it as a code. */
export function accountValues(
  to: { name: string; token: string },
  page: 'verify-email' | 'reset-password',
  link: Link,
): TemplateValues {
  const url = link(`/account/${page}?token=${encodeURIComponent(to.token)}`)
  return {
    name: to.name,
    token: to.token,
    verifyUrl: page === 'verify-email' ? url : null,
    resetUrl: page === 'reset-password' ? url : null,
  }
}

export function endpointDisabledValues(payload: EndpointDisabledPayload): TemplateValues {
  return {
    endpointId: payload.endpointId,
    url: payload.url ?? 'unknown URL',
    target: payload.url ?? payload.endpointId,
    failures: payload.consecutiveFailures,
  }
}

/** A review waiting for moderation; its text is the customer's, escaped in the HTML part. */
export function reviewPendingValues(review: ReviewEventPayload): TemplateValues {
  return {
    reviewId: review.reviewId,
    productId: review.productId,
    rating: review.rating,
    title: review.title,
    body: review.body,
    verified: review.verifiedPurchase,
  }
}

/** One digest line: what the catalog calls the variant, and its stock figures. */
export interface DigestLine {
  sku: string
  productTitle: string
  title: string
  available: number
  threshold: number
}

export function lowStockDigestValues(lines: DigestLine[], more: boolean): TemplateValues {
  return {
    count: lines.length,
    single: lines.length === 1,
    more,
    lines: lines.map((l) => ({
      sku: l.sku,
      name: l.title ? `${l.productTitle} — ${l.title}` : l.productTitle,
      available: l.available,
      threshold: l.threshold,
    })),
  }
}

/**
 * A wishlist alert: the product (and variant) as the catalog showed it when the change was seen.
 * The storefront's unsubscribe page takes the token and POSTs it to the API.
 */
export function wishlistAlertValues(
  alert: WishlistAlertPayload,
  unsubscribeToken: string,
  link: Link,
): TemplateValues {
  const money = (m: WishlistAlertPayload['price']) =>
    m ? formatAmount(m.amount, m.currency) : null
  return {
    productTitle: alert.productTitle,
    label: alert.variantTitle
      ? `${alert.productTitle} — ${alert.variantTitle}`
      : alert.productTitle,
    price: money(alert.price),
    previousPrice: money(alert.previousPrice),
    productUrl: link(`/products/${encodeURIComponent(alert.productSlug)}`),
    unsubscribeUrl: link(`/wishlist/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`),
  }
}
