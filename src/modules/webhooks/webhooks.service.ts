import { newId } from '../../shared/ids.js'
import { cursorId, toPage, type Page } from '../../platform/pagination.js'
import { WebhookErrors } from './webhooks.errors.js'
import {
  deleteEndpoint,
  findEndpoint,
  insertEndpoint,
  listEndpoints,
  updateEndpoint,
  type EndpointRow,
  type WebhooksDb,
} from './webhooks.repo.js'
import type {
  CreatedEndpointDto,
  CreateEndpointInput,
  EndpointDto,
  RotateSecretInput,
  UpdateEndpointInput,
  WebhookPageQueryDto,
} from './webhooks.schema.js'
import { DEFAULT_ROTATION_OVERLAP_SECONDS } from './webhooks.schema.js'
import type { SecretBox } from '../../platform/crypto.js'
import { newSigningSecret } from './webhooks.signing.js'
import { checkWebhookUrl } from './webhooks.ssrf.js'

/** Webhook endpoints: what partners register; the secret is shown once, at creation. */
export interface WebhookEndpointService {
  create(input: CreateEndpointInput): Promise<CreatedEndpointDto>
  list(query: WebhookPageQueryDto): Promise<Page<EndpointDto>>
  get(id: string): Promise<EndpointDto>
  update(id: string, patch: UpdateEndpointInput): Promise<EndpointDto>
  remove(id: string): Promise<void>
  /**
   * A new secret, shown once; for `overlapSeconds` deliveries carry a signature with the old one
   * too, so a partner can switch without rejecting anything.
   */
  rotateSecret(id: string, input: RotateSecretInput): Promise<CreatedEndpointDto>
}

export function endpointDto(row: EndpointRow): EndpointDto {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    previousSecretExpiresAt:
      row.previous_secret && row.previous_secret_expires_at
        ? row.previous_secret_expires_at.toISOString()
        : null,
    managedBy: row.managed_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

export function createWebhookEndpointService(deps: {
  db: WebhooksDb
  secrets: SecretBox
  allowPrivateNetworks: boolean
}): WebhookEndpointService {
  const { db, secrets, allowPrivateNetworks } = deps

  async function assertAllowed(url: string): Promise<void> {
    const verdict = await checkWebhookUrl(url, allowPrivateNetworks)
    if (!verdict.ok) throw WebhookErrors.URL_NOT_ALLOWED(verdict.reason)
  }

  async function load(id: string): Promise<EndpointRow> {
    const row = await findEndpoint(db, id)
    if (!row) throw WebhookErrors.ENDPOINT_NOT_FOUND(id)
    return row
  }

  /** A module's own endpoint takes its URL and secret from configuration: a change would not last. */
  function assertUnmanaged(row: EndpointRow): void {
    if (row.managed_by) throw WebhookErrors.ENDPOINT_MANAGED(row.id, row.managed_by)
  }

  return {
    async create(input) {
      await assertAllowed(input.url)
      const id = newId('whe')
      const secret = newSigningSecret()
      const row = await insertEndpoint(db, {
        id,
        url: input.url,
        description: input.description ?? null,
        events: JSON.stringify(input.events),
        secret: secrets.seal(id, secret),
        previous_secret: null,
        previous_secret_expires_at: null,
        disabled_reason: null,
      })
      return { ...endpointDto(row), secret }
    },

    async list(query) {
      const limit = query.limit ?? 20
      const rows = await listEndpoints(db, cursorId(query.cursor), limit + 1)
      return toPage(rows, limit, endpointDto, (row) => [row.id])
    },

    async get(id) {
      return endpointDto(await load(id))
    },

    async update(id, patch) {
      const current = await load(id)
      if (Object.keys(patch).some((field) => field !== 'enabled')) assertUnmanaged(current)
      if (patch.url !== undefined) await assertAllowed(patch.url)
      const row = await updateEndpoint(db, id, {
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.events !== undefined ? { events: JSON.stringify(patch.events) } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        // Enabling by hand closes the circuit breaker: the failure run starts again from zero.
        ...(patch.enabled === true
          ? { enabled: true, consecutive_failures: 0, disabled_reason: null }
          : {}),
        ...(patch.enabled === false ? { enabled: false, disabled_reason: null } : {}),
      })
      if (!row) throw WebhookErrors.ENDPOINT_NOT_FOUND(id)
      return endpointDto(row)
    },

    async rotateSecret(id, input) {
      const current = await load(id)
      assertUnmanaged(current)
      const overlap = input.overlapSeconds ?? DEFAULT_ROTATION_OVERLAP_SECONDS
      const secret = newSigningSecret()
      const row = await updateEndpoint(db, id, {
        secret: secrets.seal(id, secret),
        previous_secret: overlap > 0 ? current.secret : null,
        previous_secret_expires_at: overlap > 0 ? new Date(Date.now() + overlap * 1000) : null,
      })
      if (!row) throw WebhookErrors.ENDPOINT_NOT_FOUND(id)
      return { ...endpointDto(row), secret }
    },

    async remove(id) {
      assertUnmanaged(await load(id))
      if (!(await deleteEndpoint(db, id))) throw WebhookErrors.ENDPOINT_NOT_FOUND(id)
    },
  }
}
