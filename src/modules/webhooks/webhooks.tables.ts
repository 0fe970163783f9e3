import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** jsonb: written as JSON text, read back parsed by the driver. */
type Json<T> = ColumnType<T, string, string>

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed'

export interface EndpointTable {
  id: string
  url: string
  description: string | null
  events: Json<string[]>
  enabled: Generated<boolean>
  /** The signing secret, sealed when WEBHOOK_ENCRYPTION_KEY is set (it must stay usable for HMAC). */
  secret: string
  /** The secret before the last rotation, still signing until `previous_secret_expires_at`. */
  previous_secret: string | null
  previous_secret_expires_at: Date | null
  /** Deliveries in a row that exhausted their retries; the circuit breaker trips on it. */
  consecutive_failures: Generated<number>
  disabled_reason: string | null
  /** The module keeping this endpoint (it gets only that module's deliveries); null: an admin's. */
  managed_by: string | null
  /** How deliveries are signed: Standard Webhooks, or the ACP `Merchant-Signature`. */
  signature_scheme: ColumnType<SignatureScheme, SignatureScheme | undefined, SignatureScheme>
  created_at: Timestamp
  updated_at: Timestamp
}

export type SignatureScheme = 'standard' | 'acp'

export interface DeliveryTable {
  /** Also the `webhook-id` header: stable across retries. */
  id: string
  endpoint_id: string
  event_id: string
  event_type: string
  /** The exact bytes sent (and signed) on every attempt. */
  body: string
  status: Generated<DeliveryStatus>
  attempt_count: Generated<number>
  next_attempt_at: Date | null
  created_at: Timestamp
  completed_at: Date | null
  /** Set while one run sends the next attempt, so a duplicate job for it does not send too. */
  claimed_until: Date | null
}

export interface AttemptTable {
  id: string
  delivery_id: string
  attempt: number
  started_at: Date
  duration_ms: number
  status_code: number | null
  succeeded: boolean
  response_excerpt: string | null
  error: string | null
}

/** The webhooks module's tables, and only those. */
export interface WebhooksTables {
  'webhooks.endpoint': EndpointTable
  'webhooks.delivery': DeliveryTable
  'webhooks.attempt': AttemptTable
}
