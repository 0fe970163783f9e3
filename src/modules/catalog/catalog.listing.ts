import { CommonErrors } from '../../platform/errors.js'
import { decodeCursor, type CursorValues } from '../../platform/pagination.js'
import { CatalogErrors } from './catalog.errors.js'
import type { SortField, SortKey } from './listing.repo.js'
import { SORT_FIELDS } from './catalog.schema.js'

/** `price,-createdAt` → sort keys; relevance only means something with a search query. */
export function parseSort(sort: string | undefined, hasQuery: boolean): SortKey[] {
  if (!sort)
    return hasQuery ? [{ field: 'relevance', desc: true }] : [{ field: 'createdAt', desc: true }]
  const keys: SortKey[] = []
  for (const part of sort.split(',')) {
    const desc = part.startsWith('-')
    const field = (desc ? part.slice(1) : part) as SortField
    if (!SORT_FIELDS.includes(field)) throw CatalogErrors.unknownSort(field)
    if (keys.some((k) => k.field === field)) continue
    // Relevance is "best first"; "-relevance" is accepted as the same thing.
    keys.push(field === 'relevance' ? { field, desc: true } : { field, desc })
  }
  return keys
}

/**
 * A listing cursor holds the sort values of the last row, its id, and the search mode, so the
 * next page continues the same ordering (and the same typo-tolerant fallback).
 */
export function parseCursor(
  cursor: string | undefined,
  keys: SortKey[],
): { after: CursorValues; mode: 'fts' | 'fuzzy' } | null {
  if (!cursor) return null
  const values = decodeCursor(cursor, keys.length + 2)
  const mode = values?.[keys.length + 1]
  if (!values || (mode !== 'fts' && mode !== 'fuzzy')) throw CommonErrors.invalidCursor()
  return { after: values.slice(0, keys.length + 1), mode }
}
