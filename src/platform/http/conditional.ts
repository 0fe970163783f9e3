import { CommonErrors } from '../errors.js'

/** A strong validator from a row version: strong, so it can be used with If-Match (RFC 9110). */
export function versionEtag(version: number): string {
  return `"v${version}"`
}

/**
 * The row version an `If-Match` header requires, or undefined when there is no precondition
 * (absent or `*`). A header naming no version we issued can never match: 412.
 */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined
  const versions = ifMatch
    .split(',')
    .map((tag) => /^"v(\d{1,9})"$/.exec(tag.trim())?.[1])
    .filter((v): v is string => v !== undefined)
  if (versions.length !== 1) throw CommonErrors.staleVersion()
  return Number(versions[0])
}
