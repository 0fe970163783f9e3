import type { Logger } from 'pino'
import type { DomainEvent } from '../../platform/events/types.js'
import { renderMail } from '../../platform/mail/layout.js'
import type { Mailer } from '../../platform/mail/mailer.js'
import type { StaffDirectory } from '../auth/index.js'

export interface EndpointDisabledPayload {
  endpointId: string
  url?: string
  consecutiveFailures: number
}

/**
 * Tells every admin that the circuit breaker disabled an endpoint, one mail each. A failed send
 * rejects, so the bus redelivers the event (an admin may then get the mail twice, never zero).
 */
export function endpointDisabledMailer(deps: {
  mailer: Mailer
  staff: StaffDirectory
  brand: string
  logger: Logger
}) {
  return async (event: DomainEvent): Promise<void> => {
    const { endpointId, url, consecutiveFailures } =
      event.payload as unknown as EndpointDisabledPayload
    const admins = await deps.staff.emailsOf(['admin'])
    const mail = renderMail({
      brand: deps.brand,
      subject: `Webhook endpoint disabled: ${url ?? endpointId}`,
      greeting: 'Hello,',
      paragraphs: [
        `The webhook endpoint ${endpointId} (${url ?? 'unknown URL'}) was disabled: ` +
          `${consecutiveFailures} deliveries in a row failed after all their retries.`,
        'Its events are no longer sent. Fix the receiver, then enable the endpoint again with ' +
          `POST /v1/admin/webhook-endpoints/${endpointId}/enable; failed deliveries can be ` +
          'retried one by one from its delivery log.',
      ],
    })
    for (const to of admins) await deps.mailer.send({ to, ...mail })
    deps.logger.info({ endpointId, admins: admins.length }, 'admins told of a disabled endpoint')
  }
}
