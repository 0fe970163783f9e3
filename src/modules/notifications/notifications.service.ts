import type { Logger } from 'pino'
import type { RenderedMail } from '../../platform/mail/layout.js'
import type { Mailer } from '../../platform/mail/mailer.js'
import {
  renderNamedMail,
  type TemplateName,
  type TemplateValues,
} from './notifications.templates.js'

/** The one place that renders and sends mail; subscribers and jobs call it after a commit. */
export interface NotificationsService {
  render(template: TemplateName, values: TemplateValues): RenderedMail
  /**
   * Renders once and sends one message per recipient, in order. A failed send rejects, so the
   * event (or job) is retried: recipients before the failure may then get the mail twice,
   * never zero times.
   */
  send(
    to: string[],
    template: TemplateName,
    values: TemplateValues,
    headers?: Record<string, string>,
  ): Promise<void>
  /** A storefront page, e.g. `storefrontLink('/orders/ord_1')`. */
  storefrontLink(pathAndQuery: string): string
}

export function createNotificationsService(deps: {
  mailer: Mailer
  brand: string
  storefrontUrl: string
  logger: Logger
}): NotificationsService {
  const render = (template: TemplateName, values: TemplateValues) =>
    renderNamedMail(template, values, deps.brand)
  return {
    render,
    async send(to, template, values, headers) {
      if (to.length === 0) return
      const mail = render(template, values)
      for (const recipient of to) {
        const sent = await deps.mailer.send({ to: recipient, ...mail, ...(headers && { headers }) })
        deps.logger.info({ template, messageId: sent.messageId }, 'mail sent')
      }
    },
    storefrontLink: (pathAndQuery) => `${deps.storefrontUrl}${pathAndQuery}`,
  }
}
