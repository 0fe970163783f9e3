import { sql, type Kysely, type Selectable } from 'kysely'
import type { ApiKeyTable, ApiKeyTables } from './api-keys.tables.js'
import type { Role } from '../core/permissions.js'

export type ApiKeyDb = Kysely<ApiKeyTables>
export type ApiKeyRow = Omit<Selectable<ApiKeyTable>, 'key_hash' | 'lookup'>

const COLUMNS = [
  'id',
  'name',
  'scopes',
  'created_by',
  'created_at',
  'last_used_at',
  'revoked_at',
] as const

export async function insertApiKey(
  db: ApiKeyDb,
  row: {
    id: string
    name: string
    lookup: string
    keyHash: string
    scopes: string[]
    createdBy: string
  },
): Promise<ApiKeyRow> {
  return db
    .insertInto('auth.api_key')
    .values({
      id: row.id,
      name: row.name,
      lookup: row.lookup,
      key_hash: row.keyHash,
      scopes: JSON.stringify(row.scopes),
      created_by: row.createdBy,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function listApiKeys(
  db: ApiKeyDb,
  beforeId: string | undefined,
  limit: number,
): Promise<ApiKeyRow[]> {
  let query = db.selectFrom('auth.api_key').select(COLUMNS)
  if (beforeId) query = query.where('id', '<', beforeId)
  return query.orderBy('id', 'desc').limit(limit).execute()
}

/** Revokes a live key; undefined when there is no such key or it was already revoked. */
export async function revokeApiKey(db: ApiKeyDb, id: string): Promise<ApiKeyRow | undefined> {
  return db
    .updateTable('auth.api_key')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning(COLUMNS)
    .executeTakeFirst()
}

export interface KeyCandidate {
  id: string
  keyHash: string
  scopes: string[]
  lastUsedAt: Date | null
  creatorRole: Role
}

/** A live key with this selector whose creator is still active. */
export async function findLiveKeyByLookup(
  db: ApiKeyDb,
  lookup: string,
): Promise<KeyCandidate | undefined> {
  const row = await db
    .selectFrom('auth.api_key as k')
    .innerJoin('auth.user as u', 'u.id', 'k.created_by')
    .select(['k.id', 'k.key_hash', 'k.scopes', 'k.last_used_at', 'u.role'])
    .where('k.lookup', '=', lookup)
    .where('k.revoked_at', 'is', null)
    .where('u.status', '=', 'active')
    .executeTakeFirst()
  return row
    ? {
        id: row.id,
        keyHash: row.key_hash,
        scopes: row.scopes,
        lastUsedAt: row.last_used_at,
        creatorRole: row.role,
      }
    : undefined
}

export async function touchApiKey(db: ApiKeyDb, id: string): Promise<void> {
  await db
    .updateTable('auth.api_key')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute()
}
