import { ApiProblem } from '../api/client'

/** The If-Match header for a product read at `version` (the API's ETag is "v<version>"). */
export function ifMatch(version: number) {
  return { 'if-match': `"v${version}"` }
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiProblem && error.status === 412
}

export const CONFLICT_MESSAGE =
  'Someone else changed this product after you opened it, so your change was not saved. ' +
  'Reload to see the current version, then make your change again.'
