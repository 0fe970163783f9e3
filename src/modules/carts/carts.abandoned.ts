import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { UnitOfWork } from '../../platform/db/unit-of-work.js'
import type { DomainEvent } from '../../platform/events/types.js'
import { renderMail } from '../../platform/mail/layout.js'
import type { Mailer } from '../../platform/mail/mailer.js'
import type { JobDefinition } from '../../platform/jobs/jobs.js'
import type { Subscription } from '../../platform/module.js'
import { markAbandonedForReminder } from './carts.repo.js'
import type { CartsTables } from './carts.tables.js'

export const CART_ABANDONED = 'cart.abandoned'
export const REMIND_ABANDONED_JOB = 'carts.remind-abandoned'

export interface AbandonedCartPayload extends Record<string, unknown> {
  cartId: string
  /** The email given on the cart; null for a customer's cart, whose account email is used. */
  email: string | null
  customerId: string | null
  items: number
}

export interface AbandonedCartDeps {
  db: Kysely<CartsTables>
  uow: UnitOfWork
  mailer: Mailer
  logger: Logger
  links: { storefrontUrl: string; brand: string }
  /** Carts untouched for this long, with an email and items, get one reminder. */
  afterHours: number
  /** A signed-in customer's account email (the auth module owns it). */
  customerEmail: (customerId: string) => Promise<string | undefined>
}

/**
 * Abandoned carts: an hourly job marks each open cart with items and an email (given on the cart,
 * or the signed-in customer's), untouched for
 * `afterHours`, as reminded and emits `cart.abandoned` in the same transaction; a consumer of
 * that event sends the mail. One reminder per cart, whatever the number of workers.
 */
export function abandonedCarts(deps: AbandonedCartDeps) {
  async function remindBatch(limit = 100): Promise<number> {
    return deps.uow.run(async (t, emit) => {
      const trx = t as unknown as Kysely<CartsTables>
      const cutoff = new Date(Date.now() - deps.afterHours * 3600_000)
      const rows = await markAbandonedForReminder(trx, cutoff, limit)
      for (const row of rows)
        emit({
          type: CART_ABANDONED,
          aggregateType: 'cart',
          aggregateId: row.id,
          payload: {
            cartId: row.id,
            email: row.email,
            customerId: row.customer_id,
            items: row.items,
          } satisfies AbandonedCartPayload,
        })
      return rows.length
    })
  }

  async function sendReminder(event: DomainEvent): Promise<void> {
    const { cartId, customerId, items } = event.payload as AbandonedCartPayload
    const email =
      (event.payload as AbandonedCartPayload).email ??
      (customerId ? await deps.customerEmail(customerId) : undefined)
    if (!email) return
    const url = `${deps.links.storefrontUrl}/cart?cart=${encodeURIComponent(cartId)}`
    const mail = renderMail({
      brand: deps.links.brand,
      subject: 'You left something in your cart',
      greeting: 'Hello,',
      paragraphs: [
        `Your cart still holds ${items} ${items === 1 ? 'item' : 'items'}. They are not reserved for you yet.`,
      ],
      action: { label: 'Back to my cart', url },
      footer: ['We send this reminder once per cart.'],
    })
    const sent = await deps.mailer.send({ to: email, ...mail })
    deps.logger.info({ cartId, messageId: sent.messageId }, 'abandoned cart reminder sent')
  }

  const job: JobDefinition = {
    name: REMIND_ABANDONED_JOB,
    schedule: '17 * * * *',
    handler: async () => {
      while ((await remindBatch()) === 100);
    },
  }
  const subscription: Subscription = {
    type: CART_ABANDONED,
    consumer: 'carts.abandoned-mail',
    handler: sendReminder,
  }
  return { remindBatch, job, subscription }
}
