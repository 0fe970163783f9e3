import { CommonErrors } from './errors.js'

/** Opaque keyset cursors: the sort key values of the last row, base64url-encoded JSON. */
export type CursorValues = (string | number | null)[]

export interface Page<T> {
  data: T[]
  page: { nextCursor: string | null; hasMore: boolean }
}

export function encodeCursor(values: CursorValues): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

/** Returns null when the cursor is not one we issued for this many keys. */
export function decodeCursor(cursor: string, keys: number): CursorValues | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (!Array.isArray(parsed) || parsed.length !== keys) return null
    const ok = parsed.every((v) => v === null || typeof v === 'string' || typeof v === 'number')
    return ok ? (parsed as CursorValues) : null
  } catch {
    return null
  }
}

/** The cursor's string values, or `invalid_cursor` when it is not one we issued for this many keys. */
export function decodeCursorOrThrow(cursor: string, keys: number): string[] {
  const values = decodeCursor(cursor, keys)
  if (!values || !values.every((v) => typeof v === 'string')) throw CommonErrors.invalidCursor()
  return values as string[]
}

/** The id after which a page starts, from a one-key cursor we issued (`invalid_cursor` if not). */
export function cursorId(cursor: string | undefined): string | undefined {
  return cursor === undefined ? undefined : decodeCursorOrThrow(cursor, 1)[0]
}

/** Given limit + 1 fetched rows, build the page and its next cursor. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
  cursorOf: (row: R) => CursorValues,
): Page<T> {
  const hasMore = rows.length > limit
  const slice = hasMore ? rows.slice(0, limit) : rows
  const last = slice[slice.length - 1]
  return {
    data: slice.map(map),
    page: { nextCursor: hasMore && last ? encodeCursor(cursorOf(last)) : null, hasMore },
  }
}
