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
