import { sql, type ColumnType, type ExpressionBuilder, type Generated, type Kysely } from 'kysely'

export interface IdempotencyKeyTable {
  scope: string
  method: string
  route: string
  key: string
  fingerprint: string
  status: 'running' | 'done'
  owner: string | null
  locked_until: Date | null
  response_status: number | null
  response_headers: ColumnType<Record<string, string> | null, string | null, string | null>
  response_body: string | null
  created_at: Generated<Date>
  completed_at: Date | null
}

interface IdempotencyTables {
  'platform.idempotency_key': IdempotencyKeyTable
}

/** Which key: the caller's scope, the route it was sent to, and the key itself. */
export interface KeyId {
  scope: string
  method: string
  route: string
  key: string
}

/** A key as another attempt finds it. `locked` is true while a running owner still holds it. */
export interface StoredKey {
  fingerprint: string
  status: 'running' | 'done'
  locked: boolean
  response: StoredResponse | null
}

export interface StoredResponse {
  status: number
  headers: Record<string, string>
  body: string | null
}

const TABLE = 'platform.idempotency_key'

function tables(db: Kysely<unknown>): Kysely<IdempotencyTables> {
  return db as unknown as Kysely<IdempotencyTables>
}

function lockUntil(seconds: number) {
  return sql<Date>`now() + make_interval(secs => ${seconds})`
}

function whereKey(id: KeyId) {
  return (eb: ExpressionBuilder<IdempotencyTables, typeof TABLE>) =>
    eb.and([
      eb('scope', '=', id.scope),
      eb('method', '=', id.method),
      eb('route', '=', id.route),
      eb('key', '=', id.key),
    ])
}

/**
 * Inserts the key as running for `owner`, unless it exists: the primary key makes exactly one of
 * several concurrent claims win, on PostgreSQL as on PGlite. True when this claim won.
 */
export async function claimKey(
  db: Kysely<unknown>,
  id: KeyId,
  fingerprint: string,
  owner: string,
  lockSeconds: number,
): Promise<boolean> {
  const inserted = await tables(db)
    .insertInto(TABLE)
    .values({ ...id, fingerprint, status: 'running', owner, locked_until: lockUntil(lockSeconds) })
    .onConflict((oc) => oc.doNothing())
    .returning('owner')
    .executeTakeFirst()
  return inserted !== undefined
}

export async function findKey(db: Kysely<unknown>, id: KeyId): Promise<StoredKey | undefined> {
  const row = await tables(db)
    .selectFrom(TABLE)
    .select([
      'fingerprint',
      'status',
      'response_status',
      'response_headers',
      'response_body',
      sql<boolean>`coalesce(locked_until > now(), false)`.as('locked'),
    ])
    .where(whereKey(id))
    .executeTakeFirst()
  if (!row) return undefined
  return {
    fingerprint: row.fingerprint,
    status: row.status,
    locked: row.locked,
    response:
      row.status === 'done' && row.response_status !== null
        ? {
            status: row.response_status,
            headers: row.response_headers ?? {},
            body: row.response_body,
          }
        : null,
  }
}

/**
 * Takes over a running key whose lock has expired (its process died mid-request). Conditional, so
 * of several retries arriving together only one takes it. True when this attempt took it.
 */
export async function takeOverStaleKey(
  db: Kysely<unknown>,
  id: KeyId,
  fingerprint: string,
  owner: string,
  lockSeconds: number,
): Promise<boolean> {
  const result = await tables(db)
    .updateTable(TABLE)
    .set({ owner, locked_until: lockUntil(lockSeconds) })
    .where(whereKey(id))
    .where('status', '=', 'running')
    .where('fingerprint', '=', fingerprint)
    .where(sql<boolean>`locked_until <= now()`)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Stores the first response; a no-op if another attempt took the key over meanwhile. */
export async function completeKey(
  db: Kysely<unknown>,
  id: KeyId,
  owner: string,
  response: StoredResponse,
): Promise<boolean> {
  const result = await tables(db)
    .updateTable(TABLE)
    .set({
      status: 'done',
      owner: null,
      locked_until: null,
      response_status: response.status,
      response_headers: JSON.stringify(response.headers),
      response_body: response.body,
      completed_at: sql<Date>`now()`,
    })
    .where(whereKey(id))
    .where('owner', '=', owner)
    .where('status', '=', 'running')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Forgets a running key (its attempt failed with a 5xx), so a retry runs the request again. */
export async function releaseKey(db: Kysely<unknown>, id: KeyId, owner: string): Promise<void> {
  await tables(db)
    .deleteFrom(TABLE)
    .where(whereKey(id))
    .where('owner', '=', owner)
    .where('status', '=', 'running')
    .execute()
}

/** Deletes keys created more than `hours` ago; returns how many went. */
export async function pruneKeys(db: Kysely<unknown>, hours: number): Promise<number> {
  const result = await tables(db)
    .deleteFrom(TABLE)
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${hours})`)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
