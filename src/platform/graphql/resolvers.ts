import { isAppError } from '../errors.js'
import type { Page } from '../pagination.js'

/** A lookup that answers 404 in REST answers null here; any other error stands. */
export async function orNull<T>(load: Promise<T>): Promise<T | null> {
  try {
    return await load
  } catch (error) {
    if (isAppError(error) && error.kind === 'not_found') return null
    throw error
  }
}

/** A REST page as a connection: `{ nodes, pageInfo }` (keyset cursors, no per-edge cursors). */
export function connection<T>(page: Page<T>) {
  return {
    nodes: page.data,
    pageInfo: { hasNextPage: page.page.hasMore, endCursor: page.page.nextCursor },
  }
}

/**
 * The fields of an input object (or of a field's arguments) that were given: GraphQL's null for
 * an optional field means "not given", as an absent field does in a REST body. `keep` names the
 * fields where null is a value (it clears the field in a patch), or is `true` for all of them.
 */
export function given(input: object, keep: readonly string[] | true = []): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input).filter(
      ([k, v]) => v !== undefined && (v !== null || keep === true || keep.includes(k)),
    ),
  )
}
