import type { Logger } from 'pino'
import type { UnitOfWork } from '../../platform/db/unit-of-work.js'
import type { DomainEvent } from '../../platform/events/types.js'
import type { Jobs } from '../../platform/jobs/jobs.js'
import type { Metrics } from '../../platform/telemetry/metrics.js'
import { newId } from '../../shared/ids.js'
import {
  activeSpan,
  currentTraceparent,
  SpanKind,
  withSpan,
} from '../../platform/telemetry/tracing.js'
import { cursorId, toPage, type Page } from '../../platform/pagination.js'
import { WebhookErrors } from './webhooks.errors.js'
import { isWebhookEventType, WebhookEvents } from './webhooks.events.js'
import {
  advanceDelivery,
  attemptsOf,
  claimDelivery,
  countFailure,
  endpointsFor,
  findDelivery,
  findEndpoint,
  insertAttempt,
  insertDeliveries,
  listDeliveries,
  upsertManagedEndpoint,
  reopenDelivery,
  resetFailures,
  unattemptedDeliveries,
  updateEndpoint,
  type AttemptRow,
  type DeliveryRow,
  type EndpointRow,
  type WebhooksDb,
} from './webhooks.repo.js'
import type { DeliveryDto, WebhookPageQueryDto } from './webhooks.schema.js'
import { postWebhook, type SendResult } from './webhooks.sender.js'
import type { SecretBox } from '../../platform/crypto.js'
import { merchantSignature, signaturesFor } from './webhooks.signing.js'
import { checkWebhookUrl } from './webhooks.ssrf.js'

export const DELIVER_JOB = 'webhooks.deliver'

/** Seconds to wait after failed attempt n (1-based): at least 24 h in all, then the delivery fails. */
export const RETRY_SCHEDULE_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000]
export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length + 1
/** Exhausted deliveries in a row after which the endpoint is disabled (circuit breaker). */
export const FAILURES_BEFORE_DISABLE = 5

/** How long a run holds a delivery's attempt: beyond the request timeout, then a crash's is redone. */
const CLAIM_SECONDS = 30

/** A delivery job: `attempt` is how many attempts the delivery had when the job was sent. */
export interface DeliverJob {
  deliveryId: string
  attempt: number
  manual?: boolean
  /** The trace the job was sent in (src/platform/jobs/jobs.ts), when tracing is on. */
  traceparent?: string
}

/** The receiver a module keeps for its own deliveries (e.g. the agent platform's). */
export interface ManagedTarget {
  /** The module keeping it; the endpoint's id is `whe_<owner>`. */
  owner: string
  url: string
  secret: string
  scheme: 'acp'
  description: string
}

export interface WebhookDeliveryService {
  /** The public events' subscriber: one delivery per matching enabled endpoint, and its first job. */
  fanout(event: DomainEvent): Promise<void>
  /**
   * One delivery of `body` to a module's own receiver, for the event it derives from (once per
   * event: a redelivered event adds nothing), then retried and recorded like any other.
   */
  deliverTo(target: ManagedTarget, event: { id: string; type: string }, body: string): Promise<void>
  /** The job handler: one attempt, recorded, then the next one scheduled or the delivery closed. */
  deliver(job: DeliverJob): Promise<void>
  list(endpointId: string, query: WebhookPageQueryDto): Promise<Page<DeliveryDto>>
  /** Sends a delivery again now, with the same webhook-id. */
  retry(endpointId: string, deliveryId: string): Promise<DeliveryDto>
}

/** ±20 % jitter, so endpoints that failed together do not retry in lockstep. */
function withJitter(seconds: number): number {
  return Math.max(1, Math.round(seconds * (0.8 + Math.random() * 0.4)))
}

function deliveryDto(row: DeliveryRow, attempts: AttemptRow[]): DeliveryDto {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    attempts: attempts
      .filter((a) => a.delivery_id === row.id)
      .map((a) => ({
        attempt: a.attempt,
        startedAt: a.started_at.toISOString(),
        durationMs: a.duration_ms,
        statusCode: a.status_code,
        succeeded: a.succeeded,
        responseExcerpt: a.response_excerpt,
        error: a.error,
      })),
  }
}

export function createWebhookDeliveryService(deps: {
  db: WebhooksDb
  uow: UnitOfWork
  jobs: Jobs
  secrets: SecretBox
  allowPrivateNetworks: boolean
  logger: Logger
  metrics: Pick<Metrics, 'webhookDeliveries'>
}): WebhookDeliveryService {
  const { db, uow, jobs, secrets, allowPrivateNetworks, logger } = deps
  const outcomes = deps.metrics.webhookDeliveries

  /** The current secret, and the one before a rotation while its overlap window lasts. */
  function signingSecrets(endpoint: EndpointRow): string[] {
    const current = secrets.open(endpoint.id, endpoint.secret)
    const { previous_secret: previous, previous_secret_expires_at: until } = endpoint
    if (!previous || !until || until <= new Date()) return [current]
    return [current, secrets.open(endpoint.id, previous)]
  }

  async function send(endpoint: EndpointRow, delivery: DeliveryRow): Promise<SendResult> {
    const url = endpoint.url
    // Checked again at send time: the name may resolve elsewhere now than at creation.
    const verdict = await checkWebhookUrl(url, allowPrivateNetworks)
    if (!verdict.ok) {
      return { statusCode: null, durationMs: 0, excerpt: null, error: `refused: ${verdict.reason}` }
    }
    const timestamp = Math.floor(Date.now() / 1000)
    const traceparent = currentTraceparent()
    if (endpoint.signature_scheme === 'acp') {
      const acpHeaders = {
        ...(traceparent ? { traceparent } : {}),
        'request-id': delivery.id,
        timestamp: new Date(timestamp * 1000).toISOString(),
        'merchant-signature': merchantSignature(
          secrets.open(endpoint.id, endpoint.secret),
          timestamp,
          delivery.body,
        ),
      }
      return postWebhook(url, acpHeaders, delivery.body, allowPrivateNetworks)
    }
    const headers: Record<string, string> = {
      // The delivery span's context: the receiver may continue the trace.
      ...(traceparent ? { traceparent } : {}),
      'webhook-id': delivery.id,
      'webhook-timestamp': String(timestamp),
      // Standard Webhooks: several space-separated signatures, any one of which verifies.
      'webhook-signature': signaturesFor(
        signingSecrets(endpoint),
        delivery.id,
        timestamp,
        delivery.body,
      ),
    }
    return postWebhook(url, headers, delivery.body, allowPrivateNetworks)
  }

  async function record(delivery: DeliveryRow, job: DeliverJob, startedAt: Date, r: SendResult) {
    const attempt = delivery.attempt_count + 1
    const ok = r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300
    const retryIn =
      ok || attempt >= MAX_ATTEMPTS ? null : withJitter(RETRY_SCHEDULE_SECONDS[attempt - 1]!)
    const now = new Date()
    const recorded = await uow.run(async (t, emit) => {
      const trx = t as unknown as WebhooksDb
      const advanced = await advanceDelivery(trx, delivery.id, delivery.attempt_count, {
        attempt_count: attempt,
        status: ok ? 'succeeded' : retryIn === null ? 'failed' : 'pending',
        next_attempt_at: retryIn === null ? null : new Date(now.getTime() + retryIn * 1000),
        completed_at: retryIn === null ? now : null,
        claimed_until: null,
      })
      if (!advanced) return false
      await insertAttempt(trx, {
        id: newId('wha'),
        delivery_id: delivery.id,
        attempt,
        started_at: startedAt,
        duration_ms: r.durationMs,
        status_code: r.statusCode,
        succeeded: ok,
        response_excerpt: r.excerpt,
        error: r.error,
      })
      if (ok) await resetFailures(trx, delivery.endpoint_id)
      if (ok || retryIn !== null || job.manual) return true
      const failures = await countFailure(trx, delivery.endpoint_id)
      if (failures >= FAILURES_BEFORE_DISABLE) {
        const endpoint = await updateEndpoint(trx, delivery.endpoint_id, {
          enabled: false,
          disabled_reason: `${failures} deliveries in a row failed`,
        })
        emit({
          type: WebhookEvents.endpointDisabled,
          aggregateType: 'webhook_endpoint',
          aggregateId: delivery.endpoint_id,
          payload: {
            endpointId: delivery.endpoint_id,
            url: endpoint?.url,
            consecutiveFailures: failures,
          },
        })
      }
      return true
    })
    if (recorded)
      outcomes.inc({ outcome: ok ? 'succeeded' : retryIn === null ? 'failed' : 'retrying' })
    if (recorded && retryIn !== null) {
      await jobs.send(DELIVER_JOB, { deliveryId: delivery.id, attempt }, { startAfter: retryIn })
    }
  }

  async function closeUnsent(delivery: DeliveryRow): Promise<void> {
    const closed = await advanceDelivery(db, delivery.id, delivery.attempt_count, {
      status: 'failed',
      next_attempt_at: null,
      completed_at: new Date(),
    })
    if (closed) outcomes.inc({ outcome: 'failed' })
  }

  /** One attempt of a delivery job: sent by the run that claims it, then recorded. */
  async function deliverOnce(job: DeliverJob): Promise<void> {
    const delivery = await findDelivery(db, job.deliveryId)
    // A stale or duplicate job: another run already made this attempt.
    if (!delivery || delivery.status !== 'pending' || delivery.attempt_count !== job.attempt) {
      return
    }
    const endpoint = await findEndpoint(db, delivery.endpoint_id)
    if (!endpoint) return
    if (!endpoint.enabled) return closeUnsent(delivery)
    // Two jobs for one attempt (a re-run fanout, a manual retry beside a scheduled one, two
    // workers): only the run that claims it sends.
    if (!(await claimDelivery(db, delivery.id, delivery.attempt_count, CLAIM_SECONDS))) return
    const startedAt = new Date()
    const result = await send(endpoint, delivery)
    if (result.error) {
      logger.info({ deliveryId: delivery.id, error: result.error }, 'webhook attempt failed')
    }
    await record(delivery, job, startedAt, result)
  }

  return {
    async fanout(event) {
      if (!isWebhookEventType(event.type)) return
      const endpoints = await endpointsFor(db, event.type)
      if (endpoints.length === 0) return
      const body = JSON.stringify({
        type: event.type,
        timestamp: new Date(event.occurredAt).toISOString(),
        data: event.payload,
      })
      await insertDeliveries(
        db,
        endpoints.map((e) => ({
          id: newId('msg'),
          endpoint_id: e.id,
          event_id: event.id,
          event_type: event.type,
          body,
          next_attempt_at: new Date(),
          completed_at: null,
          claimed_until: null,
        })),
      )
      // Also re-sends the first job of deliveries created by an earlier, interrupted run.
      for (const d of await unattemptedDeliveries(db, event.id)) {
        await jobs.send(DELIVER_JOB, { deliveryId: d.id, attempt: 0 })
      }
    },

    async deliverTo(target, event, body) {
      const endpointId = `whe_${target.owner}`
      await upsertManagedEndpoint(db, {
        id: endpointId,
        url: target.url,
        secret: secrets.seal(endpointId, target.secret),
        managed_by: target.owner,
        signature_scheme: target.scheme,
        description: target.description,
      })
      await insertDeliveries(db, [
        {
          id: newId('msg'),
          endpoint_id: endpointId,
          event_id: event.id,
          event_type: event.type,
          body,
          next_attempt_at: new Date(),
          completed_at: null,
          claimed_until: null,
        },
      ])
      for (const d of await unattemptedDeliveries(db, event.id, endpointId)) {
        await jobs.send(DELIVER_JOB, { deliveryId: d.id, attempt: 0 })
      }
    },

    deliver(job) {
      const attributes = {
        'emporium.webhook.delivery_id': job.deliveryId,
        'emporium.webhook.attempt': job.attempt + 1,
      }
      // Inside the job's span when run by the queue; else the trace the job carries.
      const parent = activeSpan() ? undefined : job.traceparent
      return withSpan('webhook deliver', attributes, () => deliverOnce(job), {
        kind: SpanKind.CLIENT,
        ...(parent ? { parent } : {}),
      })
    },

    async list(endpointId, query) {
      if (!(await findEndpoint(db, endpointId))) throw WebhookErrors.ENDPOINT_NOT_FOUND(endpointId)
      const limit = query.limit ?? 20
      const rows = await listDeliveries(db, endpointId, cursorId(query.cursor), limit + 1)
      const attempts = await attemptsOf(
        db,
        rows.map((r) => r.id),
      )
      return toPage(
        rows,
        limit,
        (row) => deliveryDto(row, attempts),
        (row) => [row.id],
      )
    },

    async retry(endpointId, deliveryId) {
      const endpoint = await findEndpoint(db, endpointId)
      if (!endpoint) throw WebhookErrors.ENDPOINT_NOT_FOUND(endpointId)
      if (!endpoint.enabled) throw WebhookErrors.ENDPOINT_DISABLED(endpointId)
      const existing = await findDelivery(db, deliveryId)
      if (existing?.endpoint_id !== endpointId) throw WebhookErrors.DELIVERY_NOT_FOUND(deliveryId)
      const row = await reopenDelivery(db, deliveryId)
      if (!row) throw WebhookErrors.DELIVERY_NOT_FOUND(deliveryId)
      await jobs.send(DELIVER_JOB, { deliveryId, attempt: row.attempt_count, manual: true })
      return deliveryDto(row, await attemptsOf(db, [row.id]))
    },
  }
}
