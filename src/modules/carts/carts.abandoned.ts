import type { Kysely } from 'kysely'
import { narrow, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import type { JobDefinition } from '../../platform/jobs/jobs.js'
import { markAbandonedForReminder } from './carts.repo.js'
import type { CartsTables } from './carts.tables.js'

export const CART_ABANDONED = 'cart.abandoned'
export const REMIND_ABANDONED_JOB = 'carts.remind-abandoned'

export interface AbandonedCartPayload extends Record<string, unknown> {
  cartId: string
  /** A guest's consented email; null for a customer's cart, whose account email is used. */
  email: string | null
  customerId: string | null
  items: number
}

export interface AbandonedCartDeps {
  db: Kysely<CartsTables>
  uow: UnitOfWork
  /** Carts untouched for this long, with an email and items, get one reminder. */
  afterHours: number
}

/**
 * Abandoned carts: an hourly job marks each open cart with items, of a signed-in customer or of a
 * guest who gave an email with `reminderConsent`, untouched for
 * `afterHours`, as reminded and emits `cart.abandoned` in the same transaction; the notifications
 * module mails the reminder. One reminder per cart, whatever the number of workers.
 */
export function abandonedCarts(deps: AbandonedCartDeps) {
  async function remindBatch(limit = 100): Promise<number> {
    return deps.uow.run(async (t, emit) => {
      const trx = narrow<CartsTables>(t)
      const cutoff = new Date(Date.now() - deps.afterHours * 3600_000)
      const rows = await markAbandonedForReminder(trx, cutoff, limit)
      for (const row of rows)
        emit({
          type: CART_ABANDONED,
          aggregateType: 'cart',
          aggregateId: row.id,
          payload: {
            cartId: row.id,
            // A customer's reminder goes to the account's address, never one typed on the cart.
            email: row.customer_id === null ? row.email : null,
            customerId: row.customer_id,
            items: row.items,
          } satisfies AbandonedCartPayload,
        })
      return rows.length
    })
  }

  const job: JobDefinition = {
    name: REMIND_ABANDONED_JOB,
    schedule: '17 * * * *',
    handler: async () => {
      while ((await remindBatch()) === 100);
    },
  }
  return { remindBatch, job }
}
