import type { Kysely, Selectable } from 'kysely'
import type { AcpTables, SessionStatus, StoredMessage } from './acp.tables.js'

export type AcpDb = Kysely<AcpTables>
export type CheckoutSessionRow = Selectable<AcpTables['acp.checkout_session']>

const TABLE = 'acp.checkout_session'

export async function insertSession(
  db: AcpDb,
  row: {
    id: string
    apiKeyId: string
    cartId: string
    cartToken: string
    buyer: Record<string, unknown> | null
    fulfillmentDetails: Record<string, unknown> | null
    messages: StoredMessage[]
  },
): Promise<CheckoutSessionRow> {
  return db
    .insertInto(TABLE)
    .values({
      id: row.id,
      api_key_id: row.apiKeyId,
      cart_id: row.cartId,
      cart_token: row.cartToken,
      buyer: row.buyer === null ? null : JSON.stringify(row.buyer),
      fulfillment_details:
        row.fulfillmentDetails === null ? null : JSON.stringify(row.fulfillmentDetails),
      messages: JSON.stringify(row.messages),
      updated_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The session, if this API key created it. */
export async function findSession(
  db: AcpDb,
  id: string,
  apiKeyId: string,
): Promise<CheckoutSessionRow | undefined> {
  return db
    .selectFrom(TABLE)
    .selectAll()
    .where('id', '=', id)
    .where('api_key_id', '=', apiKeyId)
    .executeTakeFirst()
}

export async function findSessionByCart(
  db: AcpDb,
  cartId: string,
): Promise<CheckoutSessionRow | undefined> {
  return db.selectFrom(TABLE).selectAll().where('cart_id', '=', cartId).executeTakeFirst()
}

export interface SessionChange {
  buyer?: Record<string, unknown> | null
  fulfillmentDetails?: Record<string, unknown> | null
  messages?: StoredMessage[]
  status?: SessionStatus
  orderId?: string
}

/**
 * Applies a change to an open session; undefined when it is not open any more (completed or
 * canceled meanwhile): the status moves once, from open.
 */
export async function updateOpenSession(
  db: AcpDb,
  id: string,
  change: SessionChange,
): Promise<CheckoutSessionRow | undefined> {
  return db
    .updateTable(TABLE)
    .set({
      ...(change.buyer === undefined
        ? {}
        : { buyer: change.buyer === null ? null : JSON.stringify(change.buyer) }),
      ...(change.fulfillmentDetails === undefined
        ? {}
        : {
            fulfillment_details:
              change.fulfillmentDetails === null ? null : JSON.stringify(change.fulfillmentDetails),
          }),
      ...(change.messages === undefined ? {} : { messages: JSON.stringify(change.messages) }),
      ...(change.status === undefined ? {} : { status: change.status }),
      ...(change.orderId === undefined ? {} : { order_id: change.orderId }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst()
}
