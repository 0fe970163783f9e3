import type { Kysely } from 'kysely'
import { AppError } from '../../platform/errors.js'
import { randomToken, sha256 } from '../../platform/crypto.js'
import type { CartsTables } from './carts.tables.js'

/** What the notifications module asks before it mails an abandoned-cart reminder. */
export interface CartReminders {
  /**
   * A fresh single-address unsubscribe token for a reminder to `email` (only its hash is
   * stored), or null when the address has unsubscribed: then no reminder is sent.
   */
  unsubscribeTokenFor(email: string): Promise<string | null>
  /** The token's address gets no more reminders; 404 `unsubscribe_token_invalid` if unknown. */
  unsubscribe(token: string): Promise<void>
}

export const ReminderErrors = {
  invalidToken: () =>
    new AppError({
      kind: 'not_found',
      code: 'unsubscribe_token_invalid',
      title: 'Unknown unsubscribe token',
      detail: 'This unsubscribe link is not known.',
    }),
}

export function cartReminders(db: Kysely<CartsTables>): CartReminders {
  return {
    async unsubscribeTokenFor(email) {
      const address = email.toLowerCase()
      const out = await db
        .selectFrom('carts.reminder_opt_out')
        .select('email')
        .where('email', '=', address)
        .executeTakeFirst()
      if (out) return null
      const token = randomToken('unsub_')
      await db
        .insertInto('carts.reminder_unsubscribe')
        .values({ token_hash: sha256(token), email: address })
        .execute()
      return token
    },

    async unsubscribe(token) {
      // Looked up by its hash: the index compares digests, not the secret itself.
      const row = await db
        .selectFrom('carts.reminder_unsubscribe')
        .select('email')
        .where('token_hash', '=', sha256(token))
        .executeTakeFirst()
      if (!row) throw ReminderErrors.invalidToken()
      await db
        .insertInto('carts.reminder_opt_out')
        .values({ email: row.email })
        .onConflict((oc) => oc.column('email').doNothing())
        .execute()
    },
  }
}
