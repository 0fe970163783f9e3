/**
 * Event types an endpoint may subscribe to (docs/api/webhooks.md), plus `*` for all of them. Only these leave
 * the system: internal events (auth tokens, cache signals) are never sent, even to `*`.
 */
export const WEBHOOK_EVENT_TYPES = [
  'order.created',
  'order.paid',
  'order.cancelled',
  'order.fulfilled',
  'order.refunded',
  'product.created',
  'product.updated',
  'inventory.low_stock',
  'customer.created',
  'review.created',
  'review.published',
] as const

export const WebhookEvents = {
  /** The circuit breaker disabled an endpoint (payload `{ endpointId, url, consecutiveFailures }`). */
  endpointDisabled: 'webhook_endpoint.disabled',
} as const

/** Payload of `webhook_endpoint.disabled`; the notifications module mails the admins. */
export interface EndpointDisabledPayload {
  endpointId: string
  url?: string
  consecutiveFailures: number
}

export const isWebhookEventType = (type: string): boolean =>
  (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)
