import type { Kysely } from 'kysely'
import { createSecretBox, type SecretKey } from '../../platform/crypto.js'
import type { MigrationSet } from '../../platform/db/migrations.js'
import type { ModuleRuntime } from '../../platform/module.js'
import type { PlatformDeps } from '../../platform/module.js'
import * as createWebhooks from './migrations/2026_11_21_0830_create_webhooks.js'
import * as addSecretRotation from './migrations/2026_11_21_1500_add_secret_rotation.js'
import * as addManagedEndpoints from './migrations/2026_12_06_2340_add_managed_endpoints.js'
import { countBreakerDisabled } from './webhooks.repo.js'
import {
  createWebhookDeliveryService,
  DELIVER_JOB,
  type DeliverJob,
  type WebhookDeliveryService,
} from './webhooks.delivery.js'
import { webhookRoutes } from './webhooks.routes.js'
import { webhooksGraphql } from './webhooks.graphql.js'
import { createWebhookEndpointService, type WebhookEndpointService } from './webhooks.service.js'
import { WEBHOOK_EVENT_TYPES } from './webhooks.events.js'
import type { WebhooksTables } from './webhooks.tables.js'

export const webhooksMigrations: MigrationSet = {
  '2026_11_21_0830_create_webhooks': createWebhooks,
  '2026_11_21_1500_add_secret_rotation': addSecretRotation,
  '2026_12_06_2340_add_managed_endpoints': addManagedEndpoints,
}

export interface WebhooksModule {
  runtime: ModuleRuntime
  endpoints: WebhookEndpointService
  deliveries: WebhookDeliveryService
}

/** What the webhooks module reads from the configuration. */
export interface WebhooksSettings {
  /** AES-256 keys sealing signing secrets at rest (the first seals, all open); none: unencrypted. */
  encryptionKeys: readonly SecretKey[]
  /** Lets endpoints point at loopback/private addresses (off: refused, against SSRF). */
  allowPrivateNetworks: boolean
}

export function createWebhooksModule(
  deps: PlatformDeps,
  settings: WebhooksSettings,
): WebhooksModule {
  const db = deps.database.db as Kysely<WebhooksTables>
  // Signing secrets cannot be hashed (the HMAC needs them): sealed at rest when a key is set,
  // bound to the endpoint id.
  const secrets = createSecretBox({
    keys: [...settings.encryptionKeys],
    label: 'webhooks',
  })
  const allowPrivateNetworks = settings.allowPrivateNetworks
  const endpoints = createWebhookEndpointService({ db, secrets, allowPrivateNetworks })
  const logger = deps.logger.child({ module: 'webhooks' })
  const deliveries = createWebhookDeliveryService({
    db,
    uow: deps.uow,
    jobs: deps.jobs,
    secrets,
    allowPrivateNetworks,
    logger,
    metrics: deps.metrics,
  })
  const { metrics } = deps
  metrics.readAtScrape(metrics.webhookEndpointsDisabled, async (gauge) =>
    gauge.set(await countBreakerDisabled(db)),
  )
  return {
    endpoints,
    deliveries,
    runtime: {
      name: 'webhooks',
      routes: webhookRoutes(endpoints, deliveries),
      graphql: [webhooksGraphql(endpoints, deliveries)],
      // The bus has no wildcard: one subscription per public type (an endpoint's `*` means these).
      subscriptions: WEBHOOK_EVENT_TYPES.map((type) => ({
        type,
        consumer: 'webhooks.fanout',
        handler: deliveries.fanout,
      })),
      // Retries after a failed attempt are ours (the schedule and the attempt log). pg-boss only
      // re-runs a job whose worker died (expired) or threw: the same attempt, which the attempt
      // count and the claim make safe to run twice.
      jobs: [
        {
          name: DELIVER_JOB,
          retryLimit: 3,
          expireInSeconds: 60,
          batchSize: 25,
          handler: (data) => deliveries.deliver(data as DeliverJob),
        },
      ],
    },
  }
}

export {
  WEBHOOK_EVENT_TYPES,
  WebhookEvents,
  type EndpointDisabledPayload,
} from './webhooks.events.js'
export {
  DELIVER_JOB,
  MAX_ATTEMPTS,
  RETRY_SCHEDULE_SECONDS,
  type DeliverJob,
  type ManagedTarget,
  type WebhookDeliveryService,
} from './webhooks.delivery.js'
export type { DeliveryDto, EndpointDto } from './webhooks.schema.js'
export { webhooksTypeDefs } from './webhooks.graphql.js'
