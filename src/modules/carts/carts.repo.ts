import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type {
  CartItemTable,
  CartsTables,
  CartStatus,
  CartTable,
  ShippingAddressData,
} from './carts.tables.js'

export type CartsDb = Kysely<CartsTables> | Transaction<CartsTables>

export type CartRow = Selectable<CartTable>
export type CartItemRow = Selectable<CartItemTable>

const CART_COLUMNS = [
  'id',
  'customer_id',
  'token_hash',
  'currency',
  'status',
  'email',
  'shipping_address',
  'shipping_method_id',
  'coupon_code',
  'reminder_consent',
  'reminded_at',
  'version',
  'created_at',
  'updated_at',
] as const

const ITEM_COLUMNS = [
  'id',
  'cart_id',
  'variant_id',
  'quantity',
  'unit_price_seen',
  'created_at',
  'updated_at',
] as const

export async function insertCart(
  db: CartsDb,
  cart: { id: string; customerId: string | null; tokenHash: string | null; currency: string },
): Promise<CartRow> {
  return db
    .insertInto('carts.cart')
    .values({
      id: cart.id,
      customer_id: cart.customerId,
      token_hash: cart.tokenHash,
      currency: cart.currency,
      status: 'open',
    })
    .returning(CART_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function findCartById(db: CartsDb, id: string): Promise<CartRow | undefined> {
  return db.selectFrom('carts.cart').select(CART_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** A cart and its lines (in the order they were added), read in one statement. */
export interface CartWithItems {
  row: CartRow
  items: CartItemRow[]
}

export async function findCartWithItems(
  db: CartsDb,
  id: string,
): Promise<CartWithItems | undefined> {
  const found = await db
    .selectFrom('carts.cart as c')
    .select(CART_COLUMNS)
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('carts.cart_item as i')
          .select(ITEM_COLUMNS)
          .whereRef('i.cart_id', '=', 'c.id')
          .orderBy('i.created_at')
          .orderBy('i.id'),
      ).as('items'),
    )
    .where('c.id', '=', id)
    .executeTakeFirst()
  if (!found) return undefined
  const { items, ...row } = found
  const dated = items.map((i) => ({
    ...i,
    created_at: new Date(i.created_at),
    updated_at: new Date(i.updated_at),
  }))
  return { row, items: dated }
}

/**
 * Locks the cart and moves its version on, in one statement: the start of every change to an open
 * cart (the caller's checks that follow roll it back when they fail).
 */
export async function lockAndTouch(trx: CartsDb, id: string): Promise<CartRow | undefined> {
  return trx
    .updateTable('carts.cart')
    .set({ version: sql<number>`version + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .returning(CART_COLUMNS)
    .executeTakeFirst()
}

/** Locks carts in id order, so two merges touching the same carts cannot deadlock. */
export async function lockCarts(trx: CartsDb, ids: string[]): Promise<CartRow[]> {
  return trx
    .selectFrom('carts.cart')
    .select(CART_COLUMNS)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute()
}

/** The customer's most recently changed open cart. */
export async function findOpenCartOfCustomer(
  db: CartsDb,
  customerId: string,
  exceptId: string,
): Promise<CartRow | undefined> {
  return db
    .selectFrom('carts.cart')
    .select(CART_COLUMNS)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'open')
    .where('id', '<>', exceptId)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export interface CartPatch {
  customerId?: string
  tokenHash?: string | null
  status?: CartStatus
  email?: string | null
  shippingAddress?: ShippingAddressData | null
  shippingMethodId?: string | null
  couponCode?: string | null
  reminderConsent?: boolean
}

/**
 * Applies `patch` and moves the version on; with `expected`, only while the cart still has that
 * status (and version, when given). True when the row changed.
 */
export async function updateCart(
  db: CartsDb,
  id: string,
  patch: CartPatch,
  expected?: { status: CartStatus; version?: number },
): Promise<boolean> {
  let query = db
    .updateTable('carts.cart')
    .set({
      ...(patch.customerId === undefined ? {} : { customer_id: patch.customerId }),
      ...(patch.tokenHash === undefined ? {} : { token_hash: patch.tokenHash }),
      ...(patch.status === undefined ? {} : { status: patch.status }),
      ...(patch.email === undefined ? {} : { email: patch.email }),
      ...(patch.shippingAddress === undefined
        ? {}
        : {
            shipping_address:
              patch.shippingAddress === null ? null : JSON.stringify(patch.shippingAddress),
          }),
      ...(patch.shippingMethodId === undefined
        ? {}
        : { shipping_method_id: patch.shippingMethodId }),
      ...(patch.couponCode === undefined ? {} : { coupon_code: patch.couponCode }),
      ...(patch.reminderConsent === undefined ? {} : { reminder_consent: patch.reminderConsent }),
      version: sql<number>`version + 1`,
      updated_at: new Date(),
    })
    .where('id', '=', id)
  if (expected) query = query.where('status', '=', expected.status)
  if (expected?.version !== undefined) query = query.where('version', '=', expected.version)
  const result = await query.executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function findItems(db: CartsDb, cartId: string): Promise<CartItemRow[]> {
  return db
    .selectFrom('carts.cart_item')
    .select(ITEM_COLUMNS)
    .where('cart_id', '=', cartId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export async function insertItem(
  db: CartsDb,
  item: {
    id: string
    cartId: string
    variantId: string
    quantity: number
    unitPrice: number | null
  },
): Promise<CartItemRow> {
  return db
    .insertInto('carts.cart_item')
    .values({
      id: item.id,
      cart_id: item.cartId,
      variant_id: item.variantId,
      quantity: item.quantity,
      unit_price_seen: item.unitPrice,
    })
    .returning(ITEM_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function setItemQuantity(
  db: CartsDb,
  itemId: string,
  quantity: number,
  unitPrice: number | null,
): Promise<void> {
  await db
    .updateTable('carts.cart_item')
    .set({ quantity, unit_price_seen: unitPrice, updated_at: new Date() })
    .where('id', '=', itemId)
    .execute()
}

export async function deleteItem(db: CartsDb, cartId: string, itemId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('carts.cart_item')
    .where('cart_id', '=', cartId)
    .where('id', '=', itemId)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

/**
 * Marks up to `limit` open carts with items, of a customer or of a guest who gave an email and
 * consented to a reminder, untouched since
 * `cutoff` and never reminded, as reminded, and returns them. `skip locked` lets several workers
 * run it at once without reminding a cart twice.
 */
export function markAbandonedForReminder(trx: CartsDb, cutoff: Date, limit: number) {
  return trx
    .updateTable('carts.cart')
    .set({ reminded_at: new Date() })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('carts.cart as c')
        .select('c.id')
        .where('c.status', '=', 'open')
        .where('c.reminded_at', 'is', null)
        // A customer is reminded at the account's address; a guest only with consent.
        .where((eb) =>
          eb.or([
            eb('c.customer_id', 'is not', null),
            eb.and([eb('c.email', 'is not', null), eb('c.reminder_consent', '=', true)]),
          ]),
        )
        .where('c.updated_at', '<', cutoff)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('carts.cart_item as i').select('i.id').whereRef('i.cart_id', '=', 'c.id'),
          ),
        )
        .orderBy('c.updated_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning([
      'id',
      'email',
      'customer_id',
      sql<number>`(select coalesce(sum(i.quantity), 0)::int from carts.cart_item i where i.cart_id = carts.cart.id)`.as(
        'items',
      ),
    ])
    .execute()
}
