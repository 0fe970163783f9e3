import { sql, type Kysely, type Selectable } from 'kysely'
import type { AlertKind, ItemTable, WishlistsTables, WishlistTable } from './wishlists.tables.js'

/** Repository functions take `db` or a `trx` first. */
export type WishlistsDb = Kysely<WishlistsTables>

export type WishlistRow = Selectable<WishlistTable>

export interface ItemRecord {
  id: string
  wishlistId: string
  productId: string
  variantId: string | null
  noticed: { amount: number; currency: string } | null
  inStock: boolean
  createdAt: Date
}

/** An item with what the alert consumers need from its wishlist. */
export interface WatchedItem extends ItemRecord {
  customerId: string
  notifyBackInStock: boolean
  notifyPriceDrop: boolean
}

const ITEM_COLUMNS = [
  'wishlists.item.id',
  'wishlists.item.wishlist_id',
  'wishlists.item.product_id',
  'wishlists.item.variant_id',
  'wishlists.item.noticed_amount',
  'wishlists.item.noticed_currency',
  'wishlists.item.in_stock',
  'wishlists.item.created_at',
] as const

function toItem(row: Selectable<ItemTable>): ItemRecord {
  return {
    id: row.id,
    wishlistId: row.wishlist_id,
    productId: row.product_id,
    variantId: row.variant_id,
    noticed:
      row.noticed_amount === null || row.noticed_currency === null
        ? null
        : { amount: Number(row.noticed_amount), currency: row.noticed_currency },
    inStock: row.in_stock,
    createdAt: row.created_at,
  }
}

export async function findWishlist(
  db: WishlistsDb,
  customerId: string,
): Promise<WishlistRow | undefined> {
  return db
    .selectFrom('wishlists.wishlist')
    .selectAll()
    .where('customer_id', '=', customerId)
    .executeTakeFirst()
}

/** The customer's wishlist, created on first use; concurrent first uses make one row. */
export async function ensureWishlist(
  db: WishlistsDb,
  customerId: string,
  id: string,
): Promise<WishlistRow> {
  await db
    .insertInto('wishlists.wishlist')
    .values({ id, customer_id: customerId })
    .onConflict((oc) => oc.column('customer_id').doNothing())
    .execute()
  const row = await findWishlist(db, customerId)
  if (!row) throw new Error('wishlist vanished after its insert')
  return row
}

export async function updateWishlist(
  db: WishlistsDb,
  id: string,
  patch: {
    notify_back_in_stock?: boolean
    notify_price_drop?: boolean
    share_token_hash?: string | null
    shared_at?: Date | null
  },
): Promise<WishlistRow> {
  return db
    .updateTable('wishlists.wishlist')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function findWishlistByShareHash(
  db: WishlistsDb,
  hash: string,
): Promise<WishlistRow | undefined> {
  return db
    .selectFrom('wishlists.wishlist')
    .selectAll()
    .where('share_token_hash', '=', hash)
    .executeTakeFirst()
}

/** One page of a wishlist's items, newest first (ids are time-ordered); limit + 1 rows. */
export async function listItems(
  db: WishlistsDb,
  wishlistId: string,
  limit: number,
  afterId?: string,
): Promise<ItemRecord[]> {
  let query = db
    .selectFrom('wishlists.item')
    .select(ITEM_COLUMNS)
    .where('wishlist_id', '=', wishlistId)
    .orderBy('id', 'desc')
    .limit(limit + 1)
  if (afterId !== undefined) query = query.where('id', '<', afterId)
  return (await query.execute()).map(toItem)
}

export async function countItems(db: WishlistsDb, wishlistId: string): Promise<number> {
  const row = await db
    .selectFrom('wishlists.item')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('wishlist_id', '=', wishlistId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Inserts the item unless the wishlist holds this product and variant already; returns the row
 * either way and whether this call created it. The unique index decides between concurrent adds.
 */
export async function insertItem(
  db: WishlistsDb,
  row: Omit<ItemRecord, 'createdAt'>,
): Promise<{ item: ItemRecord; created: boolean }> {
  const { rows } = await sql<Selectable<ItemTable>>`
    insert into wishlists.item
      (id, wishlist_id, product_id, variant_id, noticed_amount, noticed_currency, in_stock)
    values (${row.id}, ${row.wishlistId}, ${row.productId}, ${row.variantId},
      ${row.noticed?.amount ?? null}, ${row.noticed?.currency ?? null}, ${row.inStock})
    on conflict (wishlist_id, product_id, (coalesce(variant_id, ''))) do nothing
    returning *`.execute(db)
  if (rows[0]) return { item: toItem(rows[0]), created: true }
  const existing = await db
    .selectFrom('wishlists.item')
    .select(ITEM_COLUMNS)
    .where('wishlist_id', '=', row.wishlistId)
    .where('product_id', '=', row.productId)
    .where(sql<string>`coalesce(variant_id, '')`, '=', row.variantId ?? '')
    .executeTakeFirstOrThrow()
  return { item: toItem(existing), created: false }
}

export async function deleteItem(
  db: WishlistsDb,
  wishlistId: string,
  itemId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('wishlists.item')
    .where('wishlist_id', '=', wishlistId)
    .where('id', '=', itemId)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** A page of the items watching one product (keyset by id), with their wishlist's settings. */
export async function watchedItems(
  db: WishlistsDb,
  productId: string,
  limit: number,
  afterId = '',
): Promise<WatchedItem[]> {
  const rows = await db
    .selectFrom('wishlists.item')
    .innerJoin('wishlists.wishlist', 'wishlists.wishlist.id', 'wishlists.item.wishlist_id')
    .select([
      ...ITEM_COLUMNS,
      'wishlists.wishlist.customer_id',
      'wishlists.wishlist.notify_back_in_stock',
      'wishlists.wishlist.notify_price_drop',
    ])
    .where('wishlists.item.product_id', '=', productId)
    .where('wishlists.item.id', '>', afterId)
    .orderBy('wishlists.item.id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    ...toItem(r),
    customerId: r.customer_id,
    notifyBackInStock: r.notify_back_in_stock,
    notifyPriceDrop: r.notify_price_drop,
  }))
}

/** Records the stock state; true only for the call that changed it (a redelivery changes nothing). */
export async function setItemInStock(
  db: WishlistsDb,
  itemId: string,
  inStock: boolean,
): Promise<boolean> {
  const result = await db
    .updateTable('wishlists.item')
    .set({ in_stock: inStock })
    .where('id', '=', itemId)
    .where('in_stock', '=', !inStock)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/**
 * Records the price a later drop is measured against, if the recorded one is still `was`; true
 * only for the call that changed it.
 */
export async function setItemNoticedPrice(
  db: WishlistsDb,
  itemId: string,
  was: ItemRecord['noticed'],
  price: { amount: number; currency: string },
): Promise<boolean> {
  let query = db
    .updateTable('wishlists.item')
    .set({ noticed_amount: price.amount, noticed_currency: price.currency })
    .where('id', '=', itemId)
  query = was
    ? query
        .where('noticed_amount', '=', String(was.amount))
        .where('noticed_currency', '=', was.currency)
    : query.where('noticed_amount', 'is', null)
  const result = await query.executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function deleteWishlistOf(db: WishlistsDb, customerId: string): Promise<number> {
  const result = await db
    .deleteFrom('wishlists.wishlist')
    .where('customer_id', '=', customerId)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function insertUnsubscribeToken(
  db: WishlistsDb,
  wishlistId: string,
  kind: AlertKind,
  tokenHash: string,
): Promise<void> {
  await db
    .insertInto('wishlists.alert_unsubscribe')
    .values({ token_hash: tokenHash, wishlist_id: wishlistId, kind })
    .execute()
}

/** Turns off the kind of alert the token was issued for; false when the token is unknown. */
export async function unsubscribeByToken(db: WishlistsDb, tokenHash: string): Promise<boolean> {
  // Looked up by its hash: the index compares digests, not the secret itself.
  const row = await db
    .selectFrom('wishlists.alert_unsubscribe')
    .select(['wishlist_id', 'kind'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
  if (!row) return false
  await updateWishlist(
    db,
    row.wishlist_id,
    row.kind === 'back_in_stock' ? { notify_back_in_stock: false } : { notify_price_drop: false },
  )
  return true
}
