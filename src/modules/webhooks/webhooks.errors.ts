import { AppError } from '../../platform/errors.js'

export const WebhookErrors = {
  ENDPOINT_NOT_FOUND: (endpointId: string) =>
    new AppError({
      kind: 'not_found',
      code: 'webhook_endpoint_not_found',
      title: 'Webhook endpoint not found',
      detail: `No webhook endpoint ${endpointId}.`,
    }),
  DELIVERY_NOT_FOUND: (deliveryId: string) =>
    new AppError({
      kind: 'not_found',
      code: 'webhook_delivery_not_found',
      title: 'Webhook delivery not found',
      detail: `No delivery ${deliveryId} for this endpoint.`,
    }),
  URL_NOT_ALLOWED: (reason: string) =>
    new AppError({
      kind: 'validation',
      code: 'webhook_url_not_allowed',
      title: 'Webhook URL not allowed',
      detail: `The endpoint URL ${reason}.`,
      errors: [{ path: '/url', message: reason }],
    }),
  ENDPOINT_MANAGED: (endpointId: string, owner: string) =>
    new AppError({
      kind: 'conflict',
      code: 'webhook_endpoint_managed',
      title: 'Webhook endpoint kept by a module',
      detail:
        `Endpoint ${endpointId} is kept by the ${owner} module: its URL and secret follow that ` +
        "module's configuration. It can only be enabled or disabled here.",
    }),
  ENDPOINT_DISABLED: (endpointId: string) =>
    new AppError({
      kind: 'conflict',
      code: 'webhook_endpoint_disabled',
      title: 'Webhook endpoint disabled',
      detail: `Enable endpoint ${endpointId} before retrying its deliveries.`,
    }),
}
